// Browser tests of the web pages: a real `zgtflow serve` on a temporary
// SQLite database and a free loopback port, Debian's chromium driven by
// playwright-core. Logs in through the login form with a token, opens a
// case, sends an event through its form, sees the timeline grow and the
// highlighted state change; a partner of another party gets 404.
// Usage: node pages.test.mjs ZGTFLOW_BINARY PROJECT_ROOT SCREENSHOT_DIR
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [binary, root, shots] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });
const dir = mkdtempSync(join(tmpdir(), 'zgt-browser-'));
const db = `sqlite:${join(dir, 'pages.db')}`;

let passed = 0;
let failed = 0;
async function test(name, body) {
  try {
    await body();
    passed++;
    console.log(`ok - ${name}`);
  } catch (error) {
    failed++;
    console.log(`not ok - ${name}\n  ${String(error && error.stack || error).replace(/\n/g, '\n  ')}`);
  }
}
function check(condition, message) {
  if (!condition) throw new Error(message);
}

function issue(role, party) {
  const args = ['token', 'issue', '--role', role, '--db', db];
  if (party) args.push('--party', party);
  const out = execFileSync(binary, args, { cwd: root, encoding: 'utf8' });
  const token = out.split(/\s+/).find((word) => word.startsWith('zgt_'));
  check(token, `no token in: ${out}`);
  return token;
}

// Starts `zgtflow serve` on a free port; resolves with its base URL.
function serve() {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['serve', '--db', db, '--workflows', 'workflows',
                                 '--listen', '127.0.0.1:0'], { cwd: root });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 30000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ child, base: m[1] });
      }
    });
    child.stderr.on('data', (chunk) => { out += chunk; });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`serve exited ${code}: ${out}`)); });
  });
}

const manager = issue('management_unit', '');
const company = issue('project_company', '某项目公司');
const stranger = issue('ecosystem_unit', '合作公司乙');
const { child, base } = await serve();
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
                                        args: ['--no-sandbox', '--disable-gpu'] });
let caseId = '';

try {
  await test('a case created over the API is listed with the partner named', async () => {
    const res = await fetch(`${base}/api/cases`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${manager}` },
      body: JSON.stringify({ workflow: 'rectification',
                             data: { subject: '平台稳定性未达标 <script>alert(1)</script>' },
                             parties: { project_company: ['某项目公司'], ecosystem_unit: ['合作公司甲'] } }),
    });
    const body = await res.text();
    check(res.status === 201, `create answered ${res.status}: ${body}`);
    caseId = JSON.parse(body).id;
  });

  await test('the project company logs in, sends submit through the form, and the case moves on', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const dialogs = [];
    page.on('dialog', (dialog) => { dialogs.push(dialog.message()); dialog.dismiss(); });
    await page.goto(`${base}/cases/${caseId}`);
    check(page.url().includes('/login'), `not sent to the login form: ${page.url()}`);
    await page.fill('input[name="token"]', company);
    await page.screenshot({ path: join(shots, '01-login.png'), fullPage: true });
    await Promise.all([page.waitForNavigation(), page.click('form:has(input[name="token"]) [type="submit"]')]);
    check(page.url().endsWith(`/cases/${caseId}`), `login did not come back to the case: ${page.url()}`);
    check((await page.textContent('#current-state')).includes('整改中'), 'not in 整改中');
    check(await page.locator('#diagram g.node.active').count() === 1, 'not one highlighted state');
    check((await page.textContent('#diagram g.node.active')).includes('rectifying'), 'rectifying not highlighted');
    const before = await page.locator('#timeline li.entry').count();
    check(before === 1, `timeline has ${before} entries`);
    check((await page.textContent('#deadlines')).includes('剩余'), 'no time left shown');
    check((await page.content()).includes('&lt;script&gt;'), 'hostile subject not escaped');
    await page.screenshot({ path: join(shots, '02-case-before.png'), fullPage: true });
    await Promise.all([page.waitForNavigation(), page.click('form[data-event="submit"] button[type="submit"]')]);
    check(page.url().includes(`/cases/${caseId}`), `not back on the case page: ${page.url()}`);
    check((await page.textContent('#current-state')).includes('整改验收中'), 'not in 整改验收中');
    check((await page.textContent('#diagram g.node.active')).includes('verifying'), 'verifying not highlighted');
    const after = await page.locator('#timeline li.entry').count();
    check(after === before + 1, `timeline went from ${before} to ${after}`);
    check(await page.locator('form[data-event="submit"]').count() === 0, 'submit still offered');
    check(dialogs.length === 0, `a script ran: ${dialogs}`);
    await page.screenshot({ path: join(shots, '03-case-after.png'), fullPage: true });
    await page.goto(`${base}/cases`);
    check(await page.locator(`a[href="/cases/${caseId}"]`).count() >= 1, 'case not in the list');
    await page.screenshot({ path: join(shots, '04-case-list.png'), fullPage: true });
    await page.goto(`${base}/`);
    check((await page.textContent('#by-state')).includes('整改验收中'), 'dashboard lacks the state');
    await page.screenshot({ path: join(shots, '05-dashboard.png'), fullPage: true });
    await page.goto(`${base}/workflows/rectification`);
    check((await page.textContent('#cites')).includes('第7条'), 'cited clause missing');
    await page.screenshot({ path: join(shots, '06-workflow.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/cases/${caseId}`);
    await page.screenshot({ path: join(shots, '07-case-phone.png'), fullPage: true });
    await context.close();
  });

  await test('a partner of another party gets 404 for the case and does not see it listed', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.fill('input[name="token"]', stranger);
    await Promise.all([page.waitForNavigation(), page.click('form:has(input[name="token"]) [type="submit"]')]);
    const res = await page.goto(`${base}/cases/${caseId}`);
    check(res.status() === 404, `answered ${res.status()}`);
    await page.screenshot({ path: join(shots, '08-other-party-404.png'), fullPage: true });
    await page.goto(`${base}/cases`);
    check(await page.locator(`a[href="/cases/${caseId}"]`).count() === 0, 'case listed to a stranger');
    await context.close();
  });
} finally {
  await browser.close();
  child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
