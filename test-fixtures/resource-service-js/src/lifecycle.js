/** Process-lifetime resources: whatever is handed to track() is closed once, at shutdown. */
const owned = new Set();

export function track(resource) {
  owned.add(resource);
  return resource;
}

export async function closeAll() {
  await Promise.allSettled([...owned].map((resource) => ('quit' in resource ? resource.quit() : resource.close())));
  owned.clear();
}
