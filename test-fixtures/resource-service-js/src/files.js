import fs from 'node:fs';
import { open, opendir } from 'node:fs/promises';
import path from 'node:path';

const uploadsDir = process.env.UPLOADS_DIR ?? './uploads';

/** The first bytes of an upload, to sniff its type. */
export async function readHeader(file) {
  // BUG: handle is not closed when read() throws (close() only runs after a successful read).
  const handle = await open(path.join(uploadsDir, file), 'r');
  const { buffer, bytesRead } = await handle.read(Buffer.alloc(512), 0, 512, 0);
  await handle.close();
  return buffer.subarray(0, bytesRead);
}

/** The last `size` bytes of an upload (zip central directory, PDF trailer). */
export async function readTrailer(file, size) {
  // OK: `await using` closes the handle on every path.
  await using handle = await open(path.join(uploadsDir, file), 'r');
  const { size: fileSize } = await handle.stat();
  const { buffer, bytesRead } = await handle.read(Buffer.alloc(size), 0, size, Math.max(0, fileSize - size));
  return buffer.subarray(0, bytesRead);
}

export async function listUploads() {
  const names = [];
  // OK: `for await` closes the directory when the loop ends, breaks or throws.
  const dir = await opendir(uploadsDir);
  for await (const entry of dir) {
    if (entry.isFile()) names.push(entry.name);
  }
  return names;
}

export async function firstUpload() {
  // BUG: dir is never closed: read() does not close it, only a completed `for await` or close() does.
  const dir = await opendir(uploadsDir);
  let entry = await dir.read();
  while (entry && !entry.isFile()) entry = await dir.read();
  return entry?.name;
}

export function appendAuditLine(line) {
  // BUG: fd is never closed: one descriptor leaks per audit line.
  const fd = fs.openSync(path.join(uploadsDir, 'audit.log'), 'a');
  fs.writeSync(fd, `${new Date().toISOString()} ${line}\n`);
}

export function writePidFile() {
  // OK: closed in finally with closeSync.
  const fd = fs.openSync(path.join(uploadsDir, 'service.pid'), 'w');
  try {
    fs.writeSync(fd, String(process.pid));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
