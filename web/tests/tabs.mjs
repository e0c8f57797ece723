// The side panel keeps one section open at a time behind tabs (the ARIA tabs pattern).
// Before using a control, open the tab whose panel holds it, as a person would.

/**
 * Makes the first element matching `selector` visible if a tab hides it: when it sits in
 * a hidden `[role=tabpanel]`, clicks the `[role=tab]` whose aria-controls names that panel.
 * Returns the element's locator once it is visible.
 */
export async function showTabOf(page, selector, timeout = 10_000) {
  const el = page.locator(selector).first();
  await el.waitFor({ state: 'attached', timeout });
  if (await el.isVisible()) return el;
  const tab = await el.evaluate((e) => {
    const panel = e.closest('[role=tabpanel]');
    return panel?.id ? `[role=tab][aria-controls="${panel.id}"]` : null;
  });
  if (tab) await page.locator(tab).first().click({ timeout });
  await el.waitFor({ state: 'visible', timeout });
  return el;
}
