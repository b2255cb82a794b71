import pLimit, { limitFunction } from 'p-limit';
import pMap from 'p-map';
import PQueue from 'p-queue';
import pThrottle from 'p-throttle';
import { getText, postJson } from './upstream.js';

const ORIGIN = process.env.CRAWL_ORIGIN ?? 'https://docs.example.com';

// OK: one module-level limiter, shared by every fetch of the crawler.
const fetchLimit = pLimit(8);

// OK: a module-level throttle: at most 10 requests a second to the origin, whoever calls.
const throttle = pThrottle({ limit: 10, interval: 1_000 });
const throttledGet = throttle((url) => getText(url));

// OK: a module-level queue for the search indexer, 4 uploads at a time.
const indexQueue = new PQueue({ concurrency: 4 });

export async function fetchPage(url) {
  const { status, text } = await throttledGet(url);
  return { url, status, html: text };
}

export function extractLinks(page) {
  return [...page.html.matchAll(/href="([^"#]+)"/g)]
    .map((match) => new URL(match[1], page.url).href)
    .filter((href) => href.startsWith(ORIGIN));
}

async function indexPage(page) {
  await postJson('/search/index', { url: page.url, html: page.html });
}

export async function fetchAll(urls) {
  // OK: the work is wrapped in a function; p-limit starts it when a slot frees up.
  return Promise.all(urls.map((url) => fetchLimit(() => fetchPage(url))));
}

export async function fetchAllByReference(urls) {
  // OK: the function and its argument passed separately: p-limit calls fetchPage(url) itself.
  return Promise.all(urls.map((url) => fetchLimit(fetchPage, url)));
}

/** A task factory: returns the work as a function, started only when the limiter calls it. */
function fetchTask(url) {
  return () => fetchPage(url);
}

export async function fetchAllWithTasks(urls) {
  // OK: fetchTask(url) returns a function, not a promise.
  return Promise.all(urls.map((url) => fetchLimit(fetchTask(url))));
}

export async function prefetch(urls) {
  return Promise.all(
    urls.map((url) => {
      const pending = fetchPage(url);
      // BUG: the function only returns a fetch that is already running: every page is fetched at once.
      return fetchLimit(() => pending);
    }),
  );
}

export async function crawlSection(urls) {
  const pages = [];
  await Promise.all(
    urls.map((url) =>
      // BUG: the section only starts the fetch and pushes it out: it runs after the slot is given back.
      fetchLimit(() => {
        pages.push(fetchPage(url));
      }),
    ),
  );
  return Promise.all(pages);
}

export async function linksOf(urls) {
  // BUG: every fetch starts here, all at once; p-map only limits the mapper over fetches already running.
  return pMap(urls.map((url) => fetchPage(url)), (page) => extractLinks(page), { concurrency: 4 });
}

export async function linksOfAll(urls) {
  // OK: p-map runs at most 4 mappers at a time, and each mapper starts its own fetch.
  return pMap(urls, async (url) => extractLinks(await fetchPage(url)), { concurrency: 4 });
}

export async function crawlSite(start, maxPages) {
  // OK: created per call, but every fetch of this crawl goes through it: the crawl runs 4 at a time.
  const limit = pLimit(4);
  const seen = new Map();
  let frontier = [start];
  while (frontier.length > 0 && seen.size < maxPages) {
    const batch = frontier.filter((url) => !seen.has(url)).slice(0, maxPages - seen.size);
    const pages = await Promise.all(batch.map((url) => limit(() => fetchPage(url))));
    for (const page of pages) seen.set(page.url, page);
    frontier = pages.flatMap(extractLinks);
  }
  return seen;
}

export async function fetchSitemap(site) {
  // BUG: a new limiter per call, used once: concurrent calls share nothing, so nothing is limited.
  const limit = pLimit(2);
  return limit(() => fetchPage(`${site}/sitemap.xml`));
}

export async function originStatus() {
  // BUG: a new throttle per call, used once: every call gets its own budget, so callers are not throttled at all.
  const throttleHealth = pThrottle({ limit: 1, interval: 1_000 });
  const check = throttleHealth(async () => (await getText(`${ORIGIN}/health`)).status);
  return check();
}

// OK: limitFunction wraps the function itself: at most 2 robots.txt fetches at once, across calls.
export const fetchRobots = limitFunction(async (site) => fetchPage(`${site}/robots.txt`), { concurrency: 2 });

export async function indexPages(pages) {
  // OK: each task is a function; the queue runs them 4 at a time.
  await indexQueue.addAll(pages.map((page) => () => indexPage(page)));
}

export async function reindex(page) {
  // BUG: the task only fires the upload and returns: the upload runs outside the queue's limit.
  await indexQueue.add(async () => {
    void indexPage(page);
  });
}

export async function reindexAll(pages) {
  // OK: the task awaits the upload, so the queue's slot is held while it runs.
  await Promise.all(pages.map((page) => indexQueue.add(async () => {
    await indexPage(page);
  })));
}
