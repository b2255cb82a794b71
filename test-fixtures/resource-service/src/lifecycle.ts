/** Process-lifetime resources: whatever is handed to track() is closed once, at shutdown. */
type Owned = { quit(): Promise<unknown> } | { close(): Promise<unknown> };

const owned = new Set<Owned>();

export function track<T extends Owned>(resource: T): T {
  owned.add(resource);
  return resource;
}

export async function closeAll(): Promise<void> {
  await Promise.allSettled([...owned].map((resource) => ('quit' in resource ? resource.quit() : resource.close())));
  owned.clear();
}
