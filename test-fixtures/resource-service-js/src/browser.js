import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Browsers that live as long as the process; closeBrowsers() runs on shutdown. */
const openBrowsers = [];

export async function renderInvoicePdf(html) {
  // BUG: browser is closed only on success: a failed setContent() or pdf() leaves Chromium running.
  const browser = await puppeteer.launch({ executablePath });
  const page = await browser.newPage();
  await page.setContent(html, { waitUntil: 'load' });
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  await browser.close();
  return pdf;
}

export async function screenshotReceipt(url) {
  // OK: closed in finally.
  const browser = await puppeteer.launch({ executablePath });
  try {
    // OK: derived from browser, closed with it in finally.
    const page = await browser.newPage();
    await page.goto(url, { waitUntil: 'load' });
    return await page.screenshot({ fullPage: true });
  } finally {
    await browser.close();
  }
}

export async function sharedBrowser() {
  if (openBrowsers.length > 0) return openBrowsers[0];
  // OK: pushed into the module-level openBrowsers, which closeBrowsers() closes.
  const browser = await chromium.launch({ executablePath });
  openBrowsers.push(browser);
  return browser;
}

export async function closeBrowsers() {
  await Promise.allSettled(openBrowsers.splice(0).map((browser) => browser.close()));
}

export async function pageTitle(url) {
  // OK: obtained from sharedBrowser(), which owns it; not created here.
  const browser = await sharedBrowser();
  // OK: closed in finally; its page goes with it.
  const context = await browser.newContext({ javaScriptEnabled: false });
  try {
    // OK: derived from context, closed with it in finally.
    const page = await context.newPage();
    await page.goto(url);
    return await page.title();
  } finally {
    await context.close();
  }
}

export async function collectLinks(url) {
  // BUG: browser is not closed on the early `return null` when the page does not load (errors are handled, that exit is not).
  const browser = await chromium.launch({ executablePath });
  let links;
  try {
    const page = await browser.newPage();
    const response = await page.goto(url);
    if (!response?.ok()) return null;
    links = await page.locator('a[href]').evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href') ?? ''));
  } catch (err) {
    await browser.close();
    throw err;
  }
  await browser.close();
  return links;
}
