import http from 'node:http';
import mysql from 'mysql2/promise';
import { Pool } from 'pg';

const ACCOUNT_COLUMNS = 'id, email, balance_cents AS "balanceCents"';

// OK: module-level singleton pool, shared by every caller.
export const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

// OK: module-level singleton pool for the legacy MySQL audit database.
const auditPool = mysql.createPool({ uri: process.env.AUDIT_DB_URL, connectionLimit: 4 });

export async function getAccount(id) {
  // OK: pool.query checks a client out and releases it by itself.
  const { rows } = await pool.query(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = $1`, [id]);
  return rows[0];
}

export async function listAccounts(limit) {
  // BUG: client is not released when the query throws (release() only runs after a successful query).
  const client = await pool.connect();
  const { rows } = await client.query(`SELECT ${ACCOUNT_COLUMNS} FROM accounts ORDER BY id LIMIT $1`, [limit]);
  client.release();
  return rows;
}

export async function findAccountByEmail(email) {
  // BUG: client is not released on the early `return null` when no account matches.
  const client = await pool.connect();
  let rows;
  try {
    ({ rows } = await client.query(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE email = $1`, [email]));
  } catch (err) {
    client.release(err);
    throw err;
  }
  if (rows.length === 0) return null;
  client.release();
  return rows[0];
}

export async function transfer(fromId, toId, amountCents) {
  // OK: released in finally, on success, on a failed statement and after the rollback.
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('UPDATE accounts SET balance_cents = balance_cents - $2 WHERE id = $1', [fromId, amountCents]);
    await client.query('UPDATE accounts SET balance_cents = balance_cents + $2 WHERE id = $1', [toId, amountCents]);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}

export async function touchAccount(id) {
  // OK: released in .finally(), whichever way the update settles.
  const client = await pool.connect();
  await client.query('UPDATE accounts SET seen_at = now() WHERE id = $1', [id]).finally(() => client.release());
}

/** For callers that run several statements on one connection: they release it. */
export async function checkout() {
  // OK: returned, the caller owns it.
  const client = await pool.connect();
  return client;
}

// OK: module-level server, a singleton: whoever starts the service listens on it and closes it.
export const reportsServer = http.createServer(async (req, res) => {
  try {
    // BUG: a new pool for every request (ended in finally, but never reused: a fresh connection per request).
    const reportsPool = new Pool({ connectionString: process.env.REPORTS_DB_URL, max: 2 });
    try {
      const { rows } = await reportsPool.query('SELECT day, total_cents FROM daily_revenue ORDER BY day DESC LIMIT 30');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(rows));
    } finally {
      await reportsPool.end();
    }
  } catch (err) {
    res.writeHead(500).end(`report for ${req.url} failed: ${String(err)}`);
  }
});

export async function recordLogin(accountId, ip) {
  // BUG: conn is not released when the INSERT throws (release() only runs after a successful insert).
  const conn = await auditPool.getConnection();
  await conn.execute('INSERT INTO logins (account_id, ip, at) VALUES (?, ?, NOW())', [accountId, ip]);
  conn.release();
}

export async function recentLogins(accountId) {
  // OK: released in finally.
  const conn = await auditPool.getConnection();
  try {
    const [rows] = await conn.query('SELECT ip, at FROM logins WHERE account_id = ? ORDER BY at DESC LIMIT 20', [accountId]);
    return rows;
  } finally {
    conn.release();
  }
}
