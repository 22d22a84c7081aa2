// tests/serve/browser.js: loads atldiag serve's page in headless chromium, drops captures on it, checks the report shown, downloads the redacted capture (HAR) and takes a screenshot.
// Usage: node browser.js URL SHOT.png PATTERNS-FILE FILE=PRIMARY...
// Exit 0 pass, 1 fail, 77 chromium cannot start.
'use strict';
const fs = require('fs');
const path = require('path');
const puppeteer = require('puppeteer-core');

const [url, shot, patternsFile, ...cases] = process.argv.slice(2);
const patterns = fs.readFileSync(patternsFile, 'utf8').split('\n').filter((p) => p.length > 0);
let fails = 0;
const ok = (name) => console.log('ok   ' + name);
const fail = (name, why) => { fails++; console.log('FAIL ' + name + ': ' + why); };

async function dropFile(page, file) {
	const b64 = fs.readFileSync(file).toString('base64');
	await page.evaluate((name, data) => {
		const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
		const dt = new DataTransfer();
		dt.items.add(new File([bytes], name, { type: 'application/octet-stream' }));
		const zone = document.getElementById('drop');
		zone.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: dt }));
		zone.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
	}, path.basename(file), b64);
}

// A HAR bundle's text: valid enough, the explain run's primary, no secret.
function harOk(what, text, primary) {
	let har;
	try {
		har = JSON.parse(text);
	} catch (e) {
		return fail(what + ': JSON', String(e));
	}
	const log = har.log || {};
	log.version === '1.2' && Array.isArray(log.entries) && log.entries.length > 0
		? ok(what + ': HAR 1.2, ' + log.entries.length + ' entries') : fail(what + ': HAR', text.slice(0, 80));
	(log._atldiag || {}).primary === primary ? ok(what + ': records primary ' + primary)
		: fail(what + ': _atldiag.primary', JSON.stringify((log._atldiag || {}).primary));
	const hit = patterns.find((p) => text.includes(p));
	hit === undefined ? ok(what + ': no secret') : fail(what + ': secret', hit.slice(0, 6) + '…');
}

// Clicks "Download redacted capture (HAR)": the answer the page fetched
// and the file the browser saved must both be the redacted bundle.
async function checkHar(browser, page, name, primary) {
	const dir = fs.mkdtempSync(path.join(path.dirname(shot), 'dl-'));
	const cdp = await browser.target().createCDPSession();
	await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: dir });
	const answered = page.waitForResponse((r) => r.url().includes('format=har'), { timeout: 30000 });
	await page.click('#download-har');
	const resp = await answered.catch(() => null);
	if (resp === null)
		return fail(name + ': HAR download', 'no request for format=har');
	(resp.headers()['content-type'] || '').startsWith('application/json')
		? ok(name + ': HAR answer is JSON') : fail(name + ': HAR content type', resp.headers()['content-type']);
	harOk(name + ': HAR answer', await resp.text(), primary);
	const file = path.join(dir, 'atldiag-capture.har');
	let i;
	for (i = 0; i < 300 && !fs.existsSync(file); i++)
		await new Promise((res) => setTimeout(res, 100));
	if (!fs.existsSync(file))
		return fail(name + ': HAR download', 'no atldiag-capture.har in ' + dir + ': ' + fs.readdirSync(dir).join(' '));
	await page.waitForFunction(() => document.getElementById('copy-status').textContent.startsWith('Saved'),
		{ timeout: 30000 }).then(() => ok(name + ': the page says it saved the file'),
		async () => fail(name + ': page status', await page.$eval('#copy-status', (e) => e.textContent)));
	harOk(name + ': downloaded atldiag-capture.har', fs.readFileSync(file, 'utf8'), primary);
	fs.rmSync(dir, { recursive: true, force: true });
}

async function run(browser) {
	const page = await browser.newPage();
	const problems = [];
	page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
	page.on('pageerror', (e) => problems.push(String(e)));
	page.on('requestfailed', (r) => problems.push('request failed: ' + r.url()));
	await page.setViewport({ width: 1000, height: 900 });
	await page.goto(url, { waitUntil: 'load' });
	const title = await page.title();
	title.includes('atldiag') ? ok('page loads: ' + title) : fail('page loads', title);
	for (const c of cases) {
		const [file, primary] = c.split('=');
		const name = path.basename(file);
		await page.evaluate(() => { document.getElementById('report').hidden = true; });
		await dropFile(page, file);
		await page.waitForFunction((want) => {
			const r = document.getElementById('report');
			const p = document.getElementById('primary-code');
			return !r.hidden && p && p.textContent === want;
		}, { timeout: 30000 }, primary).then(() => ok(name + ': primary ' + primary + ' shown'),
			async () => fail(name + ': primary', 'shown: ' + await page.$eval('#status', (e) => e.textContent)));
		const steps = await page.$$eval('.fix-step', (els) => els.map((e) => e.textContent.trim()).filter((t) => t.length > 0));
		steps.length > 0 ? ok(name + ': ' + steps.length + ' fix steps, first: ' + steps[0].slice(0, 60))
			: fail(name + ': fix steps', 'none shown');
		const owners = await page.$$eval('.findings .meta', (els) => els.length);
		owners > 0 ? ok(name + ': who must act and confidence shown') : fail(name + ': meta', 'none');
		const html = await page.evaluate(() => document.documentElement.outerHTML);
		const hit = patterns.find((p) => html.includes(p));
		hit === undefined ? ok(name + ': no secret in the DOM') : fail(name + ': secret in the DOM', hit.slice(0, 6) + '…');
		// The redacted capture: one click fetches the HAR bundle, saved.
		await checkHar(browser, page, name, primary);
	}
	// The ticket text: one click fetches the Markdown report.
	await page.$eval('#copy-status', (e) => { e.textContent = ''; });
	await page.click('#copy');
	await page.waitForFunction(() => document.getElementById('copy-status').textContent !== '', { timeout: 30000 });
	const md = await page.$eval('#markdown', (e) => e.value);
	md.includes('atldiag') ? ok('Markdown for the ticket fetched') : fail('Markdown', md.slice(0, 80));
	await page.evaluate(() => { document.getElementById('markdown').hidden = true; document.getElementById('markdown-label').hidden = true; });
	// A pasted transcript works too.
	await page.evaluate(() => { document.getElementById('report').hidden = true; });
	const pasted = fs.readFileSync(cases[cases.length - 1].split('=')[0], 'utf8');
	await page.$eval('#paste', (e, v) => { e.value = v; }, pasted);
	await page.click('#go');
	await page.waitForFunction(() => !document.getElementById('report').hidden, { timeout: 30000 })
		.then(() => ok('pasted transcript explained'), () => fail('paste', 'no report'));
	await page.$eval('#paste', (e) => { e.value = ''; });
	await page.screenshot({ path: shot, fullPage: true });
	fs.statSync(shot).size > 0 ? ok('screenshot ' + shot) : fail('screenshot', 'empty');
	problems.length === 0 ? ok('no console error, no CSP violation') : fail('console', problems.join(' | '));
}

(async () => {
	let browser;
	try {
		browser = await puppeteer.launch({
			executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
			headless: true,
			args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
			timeout: 30000
		});
	} catch (e) {
		console.log('skip: chromium cannot start: ' + String(e.message || e).split('\n')[0]);
		process.exit(77);
	}
	try {
		await run(browser);
	} catch (e) {
		fail('browser run', String(e.stack || e));
	} finally {
		await browser.close();
	}
	console.log(fails === 0 ? 'browser: all passed' : 'browser: ' + fails + ' failed');
	process.exit(fails === 0 ? 0 : 1);
})();
