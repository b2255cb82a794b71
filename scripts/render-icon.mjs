// Renders images/icon.svg to images/icon.png (256×256) with Chromium through playwright-core, so the
// PNG the VSIX ships is reproducible from the SVG source. Needs Debian's chromium (`apt-get install
// chromium`); run `node scripts/render-icon.mjs` after editing the SVG and commit both.
import { chromium } from 'playwright-core';
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const svg = fs.readFileSync(fileURLToPath(new URL('../images/icon.svg', import.meta.url)), 'utf8');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 256, height: 256 } });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.locator('svg').screenshot({ path: fileURLToPath(new URL('../images/icon.png', import.meta.url)), omitBackground: true });
} finally {
  await browser.close();
}
