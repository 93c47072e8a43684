// KB 153119's advanced test typed as a learner types it, with the slips a learner fresh from
// the basic lesson makes: its sender (Admin@test.com), whose receipt would go to a domain this
// server does not host, and a recipient without NOTIFY=SUCCESS. Each is named at once with the
// way back, the explanation says where the receipt went, and the receipt is read where the
// lesson says.
import { test, expect, open, terminal } from '../support.mjs';
import { typeKeys } from './trainer-support.mjs';

const steps = (page) => page.getByTestId('lesson').getByTestId('step');

test('the basic lesson\'s sender is named at once in the receipt lesson, and the way back finishes it', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = await open(page, '?lesson=kb153119-advanced');
  await terminal(page).click();
  await typeKeys(page, 'telnet mail.contoso.com 25\nEHLO test.com\nMAIL FROM:Admin@test.com\n');
  // Accepted by the server (250), but not the sender the receipt can come back to.
  await expect(terminal(page)).toContainText('Admin@test.com....Sender OK');
  await expect(steps(page).nth(2)).toHaveAttribute('data-status', 'current');
  const said = page.getByTestId('mistake');
  await expect(said).toContainText('you would never see the receipt');
  await expect(said.locator('code').nth(1)).toHaveText('RSET');
  await expect(said.locator('code').nth(2)).toHaveText('MAIL FROM:Admin@contoso.com');
  await typeKeys(page, 'RSET\nMAIL FROM:Admin@contoso.com\n');
  await expect(steps(page).nth(3)).toHaveAttribute('data-status', 'current');
  await expect(said).toHaveCount(0);

  // The recipient without NOTIFY=SUCCESS: no receipt would ever come.
  await typeKeys(page, 'RCPT TO:User@contoso.com\n');
  await expect(steps(page).nth(3)).toHaveAttribute('data-status', 'current');
  await expect(said).toContainText('without NOTIFY=SUCCESS');
  await typeKeys(page, 'RSET\nMAIL FROM:Admin@contoso.com\nRCPT TO:User@contoso.com NOTIFY=SUCCESS,FAILURE\nDATA\n');
  await typeKeys(page, 'Subject: receipt test\n\nPlease send me a receipt.\n.\n');
  await expect(steps(page).nth(6)).toHaveAttribute('data-status', 'current');
  // The explanation of the ended message says where the receipt goes, naming no mailbox.
  const explained = steps(page).nth(5).getByTestId('explanation');
  await expect(explained).toContainText('the envelope sender, the address you gave in MAIL FROM:');
  await expect(explained).not.toContainText('Admin@contoso.com');
  await typeKeys(page, 'QUIT\n');
  // Admin's folder, the one holding the receipt (user@'s also names Admin as the sender).
  const folder = page.getByTestId('mailbox').locator('.mailbox-folder', { hasText: 'Delivery receipt' });
  await expect(folder).toContainText('admin@contoso.com');
  await folder.getByText('Headers and body').click();
  await expect(page.getByTestId('lesson-complete')).toContainText('Lesson complete');
  expect(errors).toEqual([]);
});
