// cmd's pipes and redirection as a learner types them: `ipconfig /all | more` paged with Space,
// and `ipconfig > ip.txt` then `type ip.txt`.
import { test, expect, open, currentLine, screenText, typeLine, sees } from '../support.mjs';

test('ipconfig /all piped into more stops at -- More -- and Space shows the next page', async ({ page }) => {
  // XP's ipconfig /all fits in its 25-line window; two copies in a file make two pages.
  await open(page);
  await typeLine(page, 'ipconfig /all > all.txt');
  await typeLine(page, 'ipconfig /all >> all.txt');
  await typeLine(page, 'ipconfig /all | more');
  await sees(page, 'DNS Servers . . . . . . . . . . . : 10.0.0.2');
  await expect(currentLine(page)).not.toContainText('-- More --');
  await typeLine(page, 'type all.txt | more');
  await expect(currentLine(page)).toContainText('-- More --');
  const before = (await screenText(page)).split('DNS Servers').length;
  await page.keyboard.press('Space');
  await expect(currentLine(page)).toContainText('>');
  await expect(currentLine(page)).not.toContainText('-- More --');
  const after = (await screenText(page)).split('DNS Servers').length;
  expect(after).toBe(before + 1);
  await typeLine(page, 'echo done');
  await expect.poll(() => screenText(page)).toMatch(/^done$/m);
});

test('ipconfig > ip.txt writes a file that type then shows', async ({ page }) => {
  await open(page);
  await typeLine(page, 'ipconfig > ip.txt');
  await expect(currentLine(page)).toContainText('>');
  const screen = await screenText(page);
  expect(screen).not.toContain('Subnet Mask');
  await typeLine(page, 'type ip.txt');
  await sees(page, /Subnet Mask[ .]*: 255\.255\.255\.0/);
  await typeLine(page, 'dir ip.txt');
  await sees(page, /1 File\(s\)\s+[\d,]+ bytes/);
  await typeLine(page, 'ipconfig /all | find "DNS Servers"');
  await expect.poll(() => screenText(page)).toMatch(/"DNS Servers"\n\s*DNS Servers[ .]*: 10\.0\.0\.2\n/);
});
