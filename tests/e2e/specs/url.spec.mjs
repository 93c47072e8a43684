// Every URL parameter: good values are applied, bad ones give a plain notice and the defaults.
import { test, expect, open, shot } from '../support.mjs';

const app = (page) => page.locator('.app');

test('theme: light and high contrast apply, console is the default', async ({ page }) => {
  await open(page);
  await expect(app(page)).toHaveClass(/theme-console/);
  await open(page, '?theme=light');
  await expect(app(page)).toHaveClass(/theme-light/);
  await shot(page, 'theme-light');
  await open(page, '?theme=contrast');
  await expect(app(page)).toHaveClass(/theme-contrast/);
  await shot(page, 'theme-contrast');
  await expect(page.locator('#set-theme')).toHaveValue('contrast');
});

test('os: a known version is selected in Settings', async ({ page }) => {
  await open(page, '?os=win2000');
  await expect(page.locator('#set-os')).toHaveValue('win2000');
  await expect(page.getByTestId('notices')).toHaveCount(0);
});

test('persona: a known server is selected in Settings', async ({ page }) => {
  const id = await (async () => {
    await open(page);
    return page.locator('#set-persona option').nth(1).getAttribute('value');
  })();
  await open(page, `?persona=${id}`);
  await expect(page.locator('#set-persona')).toHaveValue(id);
  await expect(page.getByTestId('notices')).toHaveCount(0);
});

for (const [name, value] of [['os', 'win95'], ['persona', 'sendmail'], ['theme', 'pink'], ['scenario', 'no-such-thing']]) {
  test(`${name}: a bad value gives a visible message and the default`, async ({ page }) => {
    const errors = await open(page, `?${name}=${value}`);
    await expect(page.getByTestId('notices')).toContainText(`${name} "${value}"`);
    await expect(page.getByTestId('notices')).toContainText('Using the default');
    await expect(page.getByTestId('current-line')).toContainText('>');
    await expect(app(page)).toHaveClass(/theme-console/);
    expect(errors).toEqual([]);
  });
}

test('a hostile value is shown as text, shortened, never as markup', async ({ page }) => {
  await open(page, `?os=${encodeURIComponent('<b>bold</b>' + 'x'.repeat(100))}`);
  await expect(page.getByTestId('notices')).toContainText('<b>bold</b>');
  await expect(page.locator('[data-testid=notices] b')).toHaveCount(0);
  await shot(page, 'bad-parameter');
});

test('embed=1 shows the terminal with minimal chrome', async ({ page }) => {
  await open(page, '?embed=1');
  await expect(page.locator('.panels')).toHaveCount(0);
  await expect(page.locator('.banner')).toHaveCount(0);
  await expect(page.getByTestId('terminal')).toBeVisible();
});

test('changing a setting rewrites the address so the link reopens it', async ({ page }) => {
  await open(page);
  await page.locator('#set-theme').selectOption('light');
  await expect(page).toHaveURL(/theme=light/);
  await page.locator('#set-os').selectOption('win7');
  await expect(page).toHaveURL(/os=win7/);
  await page.reload();
  await expect(page.locator('#set-os')).toHaveValue('win7');
  await expect(app(page)).toHaveClass(/theme-light/);
});

test('os= beside a lesson that sets its own workstation is said, not silently ignored', async ({ page }) => {
  await open(page, '?os=win2000&lesson=kb153119-basic');
  await expect(page.getByTestId('notices')).toContainText('sets its own workstation');
  await expect(page.locator('.screen')).toContainText('Windows XP');
  await open(page, '?os=win2000');
  await expect(page.getByTestId('notices')).toHaveCount(0);
});
