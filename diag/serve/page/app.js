/* diag/serve/page/app.js: sends a capture to this atldiag process and shows its report; builds the DOM with text nodes only. */
'use strict';

(function () {
	const token = document.querySelector('meta[name="atldiag-token"]').content;
	const $ = (id) => document.getElementById(id);
	const OWNERS = {
		caller: 'you (whoever makes the call)',
		site_admin: 'a site admin',
		org_admin: 'an organization admin',
		project_admin: 'a project admin',
		atlassian: 'Atlassian support'
	};
	/* Response headers that tell why a call failed. */
	const TELLING = ['atl-traceid', 'x-seraph-loginreason', 'x-failure-category',
		'x-authentication-denied-reason', 'www-authenticate', 'retry-after',
		'x-ratelimit-reason', 'x-ratelimit-remaining', 'location', 'content-type',
		'x-arequestid', 'atl-request-id', 'x-trace-id'];
	let last = null;	/* { body, report } of the last explained capture */

	/* An element with attributes and children (strings become text nodes). */
	function el(tag, attrs, ...kids) {
		const e = document.createElement(tag);
		for (const [k, v] of Object.entries(attrs || {})) {
			if (k === 'class')
				e.className = v;
			else
				e.setAttribute(k, v);
		}
		for (const kid of kids) {
			if (kid !== null && kid !== undefined)
				e.append(typeof kid === 'string' ? document.createTextNode(kid) : kid);
		}
		return e;
	}

	/* Text where `backticks` become <code>, as text nodes. */
	function rich(text) {
		const f = document.createDocumentFragment();
		String(text || '').split('`').forEach((part, i) => {
			f.append(i % 2 === 1 ? el('code', null, part) : document.createTextNode(part));
		});
		return f;
	}

	function status(msg, isError) {
		const s = $('status');
		s.textContent = msg;
		s.classList.toggle('error', !!isError);
	}

	async function post(body, format) {
		const url = '/api/explain' + (format ? '?format=' + format : '');
		return fetch(url, {
			method: 'POST',
			headers: { 'X-Atldiag-Token': token, 'Content-Type': 'application/octet-stream' },
			body: body,
			cache: 'no-store',
			credentials: 'omit'
		});
	}

	async function explain(body, name) {
		status('Explaining ' + name + '…');
		let r, data;
		try {
			r = await post(body, null);
			data = await r.json();
		} catch (e) {
			status('Could not reach atldiag serve: is it still running?', true);
			return;
		}
		/* A refusal (403, 413) or a capture that cannot be read (422):
		 * the server's message, as the command line gives it. */
		if (data.error && !(Array.isArray(data.findings) && data.findings.length > 0)) {
			status('Cannot explain ' + name + ': ' + data.error, true);
			return;
		}
		last = { body: body, report: data };
		render(data);
		status('Explained ' + name + '.');
		$('report-h').focus();
	}

	function renderVerdict(rep) {
		const v = $('verdict');
		const primary = (rep.findings || []).find((f) => f.code === rep.primary);
		v.replaceChildren();
		v.className = 'verdict ' + (rep.verdict || '');
		v.append(el('p', null, el('span', { class: 'word' }, rep.verdict || 'unknown'),
			rep.primary ? ': ' : '', rep.primary ? el('code', { id: 'primary-code' }, rep.primary) : null));
		if (primary) {
			v.append(el('p', { class: 'line' }, el('b', null, primary.title)));
			v.append(el('p', { class: 'line' }, rich(primary.detail)));
		} else if (!rep.primary) {
			v.append(el('p', null, 'No failure found in this capture.'));
		}
		const tx = rep.transcript;
		if (tx)
			v.append(el('p', { class: 'meta' }, 'Read as ' + tx.format + ': ' + tx.entries +
				' exchange(s), ' + tx.explained + ' explained' + (tx.truncated ? ' (the capture ends early)' : '') + '.'));
	}

	function renderFinding(f, i) {
		const li = el('li', { 'aria-labelledby': 'finding-' + i });
		li.append(el('h4', { id: 'finding-' + i }, el('code', null, f.code), ' ', f.title || ''));
		li.append(el('ul', { class: 'meta' },
			el('li', null, 'Status: ', el('b', { class: 'badge ' + (f.status === 'warn' ? 'warn' : f.status) }, f.status)),
			el('li', null, 'Who must act: ', el('b', null, OWNERS[f.owner] || f.owner || 'unknown')),
			el('li', null, 'Confidence: ', el('b', null, f.confidence || 'unknown')),
			el('li', null, 'Layer: ', el('b', null, f.layer || ''))));
		if (f.detail)
			li.append(el('p', { class: 'line' }, rich(f.detail)));
		if ((f.remediation || []).length > 0) {
			li.append(el('h5', null, 'How to fix it'));
			const ol = el('ol', { class: 'fix' });
			f.remediation.forEach((step) => ol.append(el('li', { class: 'line fix-step' }, rich(step))));
			li.append(ol);
		}
		if (f.explanation)
			li.append(el('details', null, el('summary', null, 'Why'), el('p', { class: 'line' }, rich(f.explanation))));
		if ((f.notes || []).length > 0) {
			const ul = el('ul', null);
			f.notes.forEach((n) => ul.append(el('li', { class: 'line' }, rich(n))));
			li.append(el('details', null, el('summary', null, 'Notes'), ul));
		}
		const docs = (f.docs || []).filter((d) => /^https:\/\//.test(d));
		if (docs.length > 0) {
			const ul = el('ul', null);
			docs.forEach((d) => ul.append(el('li', null, el('a', { href: d, rel: 'noreferrer noopener' }, d))));
			li.append(el('details', null, el('summary', null, 'Atlassian documentation'), ul));
		}
		return li;
	}

	/* Every exchange cited as evidence, once, in the order seen. */
	function exchanges(rep) {
		const seen = new Set(), out = [];
		for (const f of rep.findings || []) {
			for (const ev of f.evidence || []) {
				if (!ev.request && !ev.response)
					continue;
				const key = JSON.stringify([ev.label, ev.request, ev.response && ev.response.status,
					ev.response && ev.response.headers]);
				if (seen.has(key))
					continue;
				seen.add(key);
				out.push(ev);
			}
		}
		return out;
	}

	function renderExchange(ev) {
		const rq = ev.request || {}, rs = ev.response || {};
		const li = el('li', null);
		li.append(el('p', { class: 'line' }, el('b', null, rq.method || '?'), ' ', el('code', null, rq.url || ''),
			' → ', el('b', null, rs.status ? String(rs.status) : (ev.error || 'no response')),
			ev.duration_ms ? ' in ' + ev.duration_ms + ' ms' : ''));
		const dl = el('dl', { class: 'headers' });
		const add = (k, v) => { dl.append(el('dt', null, k), el('dd', null, String(v))); };
		if (rq.auth_description)
			add('Authorization', rq.auth_description);
		const hs = rs.headers || {};
		for (const k of Object.keys(hs))
			if (TELLING.includes(k.toLowerCase()) || k.toLowerCase().startsWith('x-ratelimit'))
				add(k, hs[k]);
		if (ev.trace_id && !('atl-traceid' in hs))
			add('trace id', ev.trace_id);
		if (dl.childElementCount > 0)
			li.append(dl);
		if (rs.body_excerpt)
			li.append(el('details', null, el('summary', null, 'Response body (excerpt)'),
				el('pre', { class: 'line' }, rs.body_excerpt)));
		return li;
	}

	function render(rep) {
		renderVerdict(rep);
		const fl = $('findings'), tl = $('timeline');
		fl.replaceChildren();
		(rep.findings || []).forEach((f, i) => fl.append(renderFinding(f, i)));
		if (fl.childElementCount === 0)
			fl.append(el('li', null, 'No findings.'));
		tl.replaceChildren();
		exchanges(rep).forEach((ev) => tl.append(renderExchange(ev)));
		if (tl.childElementCount === 0)
			tl.append(el('li', null, 'No exchange was cited.'));
		$('markdown').hidden = $('markdown-label').hidden = true;
		$('copy-status').textContent = '';
		$('report').hidden = false;
	}

	async function copyMarkdown() {
		if (!last)
			return;
		const cs = $('copy-status');
		let text;
		try {
			const r = await post(last.body, 'markdown');
			text = await r.text();
			if (!r.ok)
				throw new Error('status ' + r.status);
		} catch (e) {
			cs.textContent = 'Could not get the Markdown from atldiag serve.';
			return;
		}
		const ta = $('markdown');
		ta.value = text;
		try {
			await navigator.clipboard.writeText(text);
			cs.textContent = 'Copied: paste it into the ticket.';
		} catch (e) {
			ta.hidden = $('markdown-label').hidden = false;
			ta.focus();
			ta.select();
			cs.textContent = 'The browser did not allow copying: the text is selected below, press Ctrl+C.';
		}
	}

	/* Saves blob as a file named name. */
	function save(blob, name) {
		const a = el('a', { href: URL.createObjectURL(blob), download: name });
		document.body.append(a);
		a.click();
		a.remove();
		setTimeout(() => URL.revokeObjectURL(a.href), 1000);
	}

	function download() {
		if (!last)
			return;
		save(new Blob([JSON.stringify(last.report, null, 2) + '\n'], { type: 'application/json' }),
			'atldiag-report.json');
	}

	/* The capture as a redacted evidence bundle (HAR 1.2), made by the
	 * server from the same bytes: secrets never reach this page. */
	async function downloadHar() {
		if (!last)
			return;
		const cs = $('copy-status');
		cs.textContent = 'Preparing the redacted capture…';
		let text;
		try {
			const r = await post(last.body, 'har');
			text = await r.text();
			if (!r.ok)
				throw new Error('status ' + r.status);
		} catch (e) {
			cs.textContent = 'Could not get the redacted capture from atldiag serve.';
			return;
		}
		save(new Blob([text], { type: 'application/json' }), 'atldiag-capture.har');
		cs.textContent = 'Saved atldiag-capture.har: attach it to the ticket.';
	}

	function readFile(file) {
		if (!file)
			return;
		file.arrayBuffer().then((buf) => explain(buf, file.name),
			() => status('Cannot read ' + file.name + '.', true));
	}

	document.addEventListener('DOMContentLoaded', () => {
		const drop = $('drop');
		/* A file dropped outside the box must not replace the page. */
		['dragover', 'drop'].forEach((t) => document.addEventListener(t, (e) => e.preventDefault()));
		drop.addEventListener('dragover', () => drop.classList.add('over'));
		drop.addEventListener('dragleave', () => drop.classList.remove('over'));
		drop.addEventListener('drop', (e) => {
			drop.classList.remove('over');
			if (e.dataTransfer && e.dataTransfer.files.length > 0)
				readFile(e.dataTransfer.files[0]);
		});
		$('file').addEventListener('change', (e) => readFile(e.target.files[0]));
		$('go').addEventListener('click', () => {
			const text = $('paste').value;
			if (text.trim() === '')
				status('Paste a transcript first.', true);
			else
				explain(text, 'the pasted text');
		});
		$('copy').addEventListener('click', copyMarkdown);
		$('download').addEventListener('click', download);
		$('download-har').addEventListener('click', downloadHar);
	});
})();
