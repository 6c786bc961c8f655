// Build the Bootstrap CSS the site serves: `make css`.
//
// PurgeCSS keeps the rules of assets/bootstrap-5.3.9/bootstrap.min.css (the
// unmodified release) whose selectors name a class found in our templates,
// scripts and Python sources (form widgets set classes there), or in the
// crispy-forms Bootstrap 5 templates, plus a safelist of classes that only
// Bootstrap's JavaScript or a template variable puts on the page. Writes
// static/css/bootstrap.purged.css; the output is committed.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PurgeCSS } from "purgecss";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "assets/bootstrap-5.3.9/bootstrap.min.css");
const target = join(root, "static/css/bootstrap.purged.css");
const crispy = process.env.CRISPY_TEMPLATES;
if (!crispy) throw new Error("CRISPY_TEMPLATES must name crispy_bootstrap5/templates");

const content = [
  join(root, "templates/**/*.html"),
  join(root, "static/js/*.js"),
  join(root, "{pasar,posdaya,catalog,orders,banksampah}/**/*.py"),
  join(crispy, "**/*.html"),
];

const [result] = await new PurgeCSS().purge({
  css: [source],
  content,
  skippedContentGlobs: ["**/migrations/**", "**/__pycache__/**"],
  // Keep every custom property, keyframe and font-face: cheap and safe.
  variables: false,
  keyframes: false,
  fontFace: false,
  // data-bs-popper is set by dropdown.js at run time.
  dynamicAttributes: ["data-bs-popper", "data-bs-theme"],
  safelist: {
    standard: [
      // toggled by Bootstrap's JavaScript
      "show", "showing", "hiding", "fade", "collapse", "collapsing",
      "collapse-horizontal", "active", "disabled", "modal-open", "modal-static",
      "dropdown-menu-end", "dropstart", "dropend", "dropup", "dropdown-center",
      "dropup-center", "offcanvas-backdrop", "modal-backdrop", "was-validated",
      "is-valid", "is-invalid",
      // written from a variable: alert-{{ message.tags }}, pasar.js alert-${level}
      /^alert-/, /^text-bg-/, /^btn-close/,
    ],
    deep: [/^modal/, /^offcanvas/, /^dropdown/, /^tooltip/, /^popover/, /^bs-tooltip/, /^bs-popover/],
    greedy: [/^navbar/],
  },
});

const kept = result.css.trim();
writeFileSync(
  target,
  "/*! Bootstrap v5.3.9 (https://getbootstrap.com/), only the rules this site uses:\n" +
    " * built from assets/bootstrap-5.3.9/bootstrap.min.css by tools/purge_css.mjs (make css).\n" +
    " * Copyright 2011-2025 The Bootstrap Authors; licensed MIT\n" +
    " * (https://github.com/twbs/bootstrap/blob/main/LICENSE). */\n" +
    kept.replace(/^\/\*![^]*?\*\/\s*/, "") +
    "\n",
);
console.log(`${readFileSync(source).length} -> ${readFileSync(target).length} bytes: ${target}`);
