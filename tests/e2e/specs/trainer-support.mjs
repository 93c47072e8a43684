// Helpers of the trainer specs: the built-in lessons and challenges read from their TOML files
// (the same files the app embeds), and typing keystroke notation ("EHLO x{bs}\n{ctrl+]}") into
// the terminal the way a learner does: line by line, waiting for the reply before going on.
import { expect } from '@playwright/test';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '../../..');
export const FIXTURES = path.resolve(here, '../fixtures');

/** The value of a TOML basic or multi-line basic string starting at text[i]; returns [value, end]. */
function tomlString(text, i) {
  const multi = text.startsWith('"""', i);
  let j = i + (multi ? 3 : 1);
  if (multi && text[j] === '\n') j += 1;
  let out = '';
  while (j < text.length) {
    if (multi ? text.startsWith('"""', j) : text[j] === '"') return [out, j + (multi ? 3 : 1)];
    const c = text[j];
    if (c === '\\') {
      const n = text[j + 1];
      if (n === '\n' || n === '\r') { // line-ending backslash: skip the break and indentation
        j += 1;
        while (/\s/.test(text[j])) j += 1;
        continue;
      }
      out += { n: '\n', t: '\t', '"': '"', '\\': '\\', r: '\r' }[n] ?? n;
      j += 2;
      continue;
    }
    out += c;
    j += 1;
  }
  throw new Error('unterminated string');
}

/** The top-level keys (strings and arrays of strings) of every [[TABLE]] in the TOML files of DIR. */
export function tables(dir, table) {
  const found = [];
  for (const name of readdirSync(path.join(ROOT, dir)).filter((f) => f.endsWith('.toml')).sort()) {
    const text = readFileSync(path.join(ROOT, dir, name), 'utf8');
    let cur = null;
    let i = 0;
    while (i < text.length) {
      const eol = text.indexOf('\n', i) === -1 ? text.length : text.indexOf('\n', i);
      const line = text.slice(i, eol);
      const head = line.match(/^\[\[?([^\]]+)\]\]?\s*$/);
      if (head) {
        cur = head[1] === table ? {} : null;
        if (cur) found.push(cur);
        i = eol + 1;
        continue;
      }
      // A lesson whose check needs a message opened in the Mailbox panel.
      if (found.length && line.includes('"message-opened"')) found[found.length - 1].opensMail = true;
      const kv = cur && line.match(/^([A-Za-z_]+)\s*=\s*/);
      if (kv) {
        const at = i + kv[0].length;
        if (text[at] === '"') {
          const [value, end] = tomlString(text, at);
          cur[kv[1]] = value;
          i = text.indexOf('\n', end) === -1 ? text.length : text.indexOf('\n', end) + 1;
          continue;
        }
        if (text[at] === '[') {
          cur[kv[1]] = [...line.slice(kv[0].length).matchAll(/"([^"]*)"/g)].map((m) => m[1]);
        }
      }
      i = eol + 1;
    }
  }
  return found;
}

export const lessons = () => tables('lessons', 'lessons');
export const challenges = () => tables('challenges', 'challenges');

const SPECIAL = {
  enter: 'Enter', bs: 'Backspace', backspace: 'Backspace', 'ctrl+]': 'Control+BracketRight',
  'ctrl+c': 'Control+c', tab: 'Tab', esc: 'Escape', escape: 'Escape', up: 'ArrowUp',
  down: 'ArrowDown', left: 'ArrowLeft', right: 'ArrowRight', home: 'Home', end: 'End',
  del: 'Delete', delete: 'Delete',
};

/** Waits until the workstation waits for the learner (the reply is in, ping has finished; a
 * connection to a firewalled port takes the 21 seconds of a real one to time out). */
export async function settle(page) {
  await page.waitForTimeout(30);
  await expect(page.getByTestId('trainer')).toHaveAttribute('data-idle', 'true', { timeout: 40_000 });
}

/** Types keystroke notation into the focused terminal, waiting after each Enter and special key. */
export async function typeKeys(page, text) {
  let buf = '';
  const flush = async () => { if (buf) { await page.keyboard.type(buf); buf = ''; } };
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (c === '\r') continue;
    if (c === '\n') {
      await flush();
      await page.keyboard.press('Enter');
      await settle(page);
    } else if (c === '{' && text[i + 1] === '{') {
      buf += '{';
      i += 1;
    } else if (c === '{') {
      const end = text.indexOf('}', i + 2);
      const name = text.slice(i + 1, end).trim().toLowerCase();
      if (!SPECIAL[name]) throw new Error(`unknown key {${name}}`);
      i = end;
      await flush();
      await page.keyboard.press(SPECIAL[name]);
      await settle(page);
    } else {
      buf += c;
    }
  }
  await flush();
  await settle(page);
}

/** Serves a file of tests/e2e/fixtures at URL (relative to the app), as a web server would. */
export async function serveFixture(page, url, file, contentType = 'text/plain') {
  const body = readFileSync(path.join(FIXTURES, file));
  await page.route(`**/${url}`, (route) => route.fulfill({ body, contentType }));
}

/** Opens the newest message of MAILBOX in the Mailbox panel, as a learner reads it. */
export async function openMessage(page, mailbox = 'user@contoso.com') {
  const folder = page.getByTestId('mailbox').locator('.mailbox-folder', { hasText: mailbox });
  await folder.getByText('Headers and body').last().click();
}
