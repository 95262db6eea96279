// The "find leaked goroutines" phase of the real-VS-Code end-to-end test
// (issue 12), called from run.mjs with the page and its helpers. It adds a
// package whose test leaks a goroutine (the tutorial's timeout example) to
// the scratch workspace, then checks what a person sees:
//   - a "find leaks" code lens above each func TestX;
//   - clicking the lens over TestTimeout shows a progress notification, then
//     the leak as a diagnostic (source golens-leaks) at the blocked send in
//     work.go, next to the static timeoutleak finding, now "confirmed by
//     TestTimeout";
//   - an edit to work.go clears the leak diagnostic;
//   - "golens: Find leaked goroutines in this package's tests" runs the whole
//     package (TestSlow sleeps for ten minutes) and the progress
//     notification's Cancel button stops it: golens says the run was cancelled.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const WORK = `package leaky

import "time"

// fetch gives up after d; the sender is then blocked forever.
func fetch(d time.Duration) (int, bool) {
	ch := make(chan int)
	go func() {
		time.Sleep(10 * d)
		ch <- 42
	}()
	select {
	case v := <-ch:
		return v, true
	case <-time.After(d):
		return 0, false
	}
}
`;

const WORK_TEST = `package leaky

import (
	"testing"
	"time"
)

func TestTimeout(t *testing.T) {
	fetch(time.Millisecond)
	time.Sleep(50 * time.Millisecond)
}

func TestSlow(t *testing.T) { time.Sleep(10 * time.Minute) }
`;

export async function leaksPhase(h) {
  const { page, step, skipStep, openFile, runCommand, waitFor, shot, sleep, caps, required, workspace } = h;
  const advertised = (caps.executeCommandProvider?.commands || []).includes('golens.findLeaks') && caps.codeLensProvider;
  if (!advertised && !required('leaks')) {
    skipStep('find leaked goroutines (code lens, progress, diagnostics, cancel)', 'server does not advertise golens.findLeaks');
    return;
  }
  const dir = join(workspace, 'leaky');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'work.go'), WORK);
  writeFileSync(join(dir, 'work_test.go'), WORK_TEST);

  const lens = page.locator('.monaco-editor .codelens-decoration a', { hasText: 'find leaks' });
  const toast = (text) => page.locator('.notification-toast', { hasText: text }).first();
  const problems = async () => {
    const panel = page.locator('.markers-panel').first();
    return (await panel.innerText().catch(() => '')).replace(/\s+/g, ' ');
  };

  await step(
    'find leaks: a code lens above each test',
    async () => {
      await sleep(1000); // the file watcher sees the new files
      await openFile('work_test.go');
      await waitFor('two "find leaks" lenses', async () => (await lens.count()) === 2, 30000);
      await shot('leaks-lenses');
      return `${await lens.count()} lenses`;
    },
    { optional: !required('leaks') },
  );

  await step(
    'find leaks: the lens over TestTimeout shows progress, then the leak as a diagnostic at the send',
    async () => {
      await lens.first().click();
      const progress = toast('finding leaked goroutines in TestTimeout');
      await progress.waitFor({ state: 'visible', timeout: 20000 });
      await shot('leaks-progress');
      const done = toast(/leaked goroutine site/);
      await done.waitFor({ state: 'visible', timeout: 120000 });
      const outcome = (await done.innerText()).replace(/\s+/g, ' ').trim();
      await shot('leaks-done');
      // work.go is not open: the leak is in the Problems panel; opened, the
      // static timeoutleak finding on the same line says the run confirmed it.
      await openFile('work.go');
      await page.keyboard.press('Control+Shift+M');
      const text = await waitFor(
        'the leak and the confirmed static finding in Problems',
        async () => {
          const t = await problems();
          return /goroutine blocked on chan send forever \(leaked in TestTimeout\); created at work\.go:8/.test(t) &&
            /golens-leaks/.test(t) &&
            /confirmed by TestTimeout/.test(t)
            ? t
            : undefined;
        },
        30000,
      ).catch(async (err) => {
        throw new Error(`${err.message}; Problems: ${(await problems()).slice(0, 400)}`);
      });
      await shot('leaks-problems');
      const squiggles = await page.locator('.monaco-editor .squiggly-warning').count();
      if (squiggles < 1) throw new Error('no warning squiggle in work.go');
      return `${outcome.slice(0, 90)} | ${text.match(/goroutine blocked[^|]*?created at work\.go:8/)?.[0] ?? ''}`;
    },
    { optional: !required('leaks') },
  );

  await step(
    'find leaks: an edit to work.go clears the leak diagnostic',
    async () => {
      await page.locator('.monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+Home');
      // An empty line above the package clause: the file stays valid Go.
      await page.keyboard.press('Enter');
      await waitFor(
        'the leak to leave Problems',
        async () => {
          const t = await problems();
          return !/golens-leaks/.test(t) && !/confirmed by/.test(t);
        },
        20000,
      );
      await shot('leaks-cleared');
      // Back to the text on disk (the one the tests ran), unmodified.
      await page.keyboard.press('Control+Z');
      await waitFor('work.go unmodified again', async () => (await page.locator('.tab.active.dirty').count()) === 0, 10000);
    },
    { optional: !required('leaks') },
  );

  await step(
    "golens: Find leaked goroutines in this package's tests runs with progress; Cancel stops it",
    async () => {
      await openFile('work_test.go');
      await runCommand("golens: Find leaked goroutines in this package's tests");
      const progress = toast("finding leaked goroutines in this package's tests");
      await progress.waitFor({ state: 'visible', timeout: 20000 });
      await sleep(4000); // go test builds and starts TestSlow
      await shot('leaks-package-progress');
      await progress.hover();
      await progress.locator('.monaco-button', { hasText: /^Cancel$/ }).click();
      const cancelled = toast(/cancelled/);
      await cancelled.waitFor({ state: 'visible', timeout: 30000 });
      await shot('leaks-cancelled');
      return (await cancelled.innerText()).replace(/\s+/g, ' ').trim().slice(0, 100);
    },
    { optional: !required('leaks') },
  );
}
