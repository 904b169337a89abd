// The layout measurements shared by the layout checks (e2e/layout.spec.ts for the site, e2e/layout-console.spec.ts
// for the staff console), so both hold pages to the same rules.
import type { Page } from "@playwright/test";

/** Everything the layout checks find on the page as it is now; empty lists mean it passed. */
export async function measure(page: Page) {
  return page.evaluate(() => {
    const doc = document.documentElement;
    // What sticks out past the right edge, when something does (to name it in the failure).
    const wide = [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > doc.clientWidth + 1 && el.checkVisibility())
      .slice(0, 3);
    const describe = (el: Element) => {
      const text = (el.textContent ?? "").trim().replace(/\s+/g, " ").slice(0, 40);
      return `${el.tagName.toLowerCase()}${el.className && typeof el.className === "string" ? "." + el.className.split(" ")[0] : ""} "${text}"`;
    };
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      // checkVisibility also excludes what a closed <details> hides (its content keeps a layout box in Chromium).
      return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && el.checkVisibility();
    };
    // Text wider than its own box (and not scrolled on purpose, such as a table wrapper).
    const overflowing: string[] = [];
    for (const el of document.querySelectorAll("main *, header *, footer *")) {
      if (!visible(el) || el.closest(".table-wrap, .table-scroll, .c-table-wrap, pre, svg")) continue;
      const s = getComputedStyle(el);
      if (s.overflowX !== "visible" || s.display === "inline") continue;
      if (el.scrollWidth > el.clientWidth + 1 && el.children.length === 0) overflowing.push(describe(el));
    }
    // Targets smaller than 24×24 px, except links inside a sentence (WCAG 2.5.8's inline exception).
    const small: string[] = [];
    for (const el of document.querySelectorAll(
      "a[href], button, input:not([type=hidden]), select, textarea, summary",
    )) {
      if (!visible(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.width >= 24 && r.height >= 24) continue;
      const parent = el.parentElement;
      const inline =
        el.tagName === "A" &&
        parent !== null &&
        (parent.textContent ?? "").trim().length > (el.textContent ?? "").trim().length + 2;
      const box = el.tagName === "INPUT" && ["checkbox", "radio"].includes((el as HTMLInputElement).type);
      // A checkbox or radio counts with its label when the label is the target (the label is clickable).
      const label = box ? el.closest("label") : null;
      if (inline || (label && label.getBoundingClientRect().height >= 24)) continue;
      small.push(`${describe(el)} ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
    // The header's items sit in one row: every direct item's vertical centre within the row's height.
    const header = document.querySelector(".header-inner");
    const items = header ? [...header.children].filter(visible) : [];
    const rows = new Set(items.map((el) => Math.round(el.getBoundingClientRect().top / 12)));
    return {
      horizontalScroll: doc.scrollWidth - doc.clientWidth,
      wide: wide.map((el) => el.tagName + "." + (typeof el.className === "string" ? el.className : "")),
      overflowing,
      small,
      headerRows: rows.size,
      headerHeight: header ? Math.round(header.getBoundingClientRect().height) : 0,
    };
  });
}
