// ESLint for the page scripts (docs/assets/javascripts), the service-worker generator and the
// Node harnesses: the recommended rules, browser or Node globals, ES modules. No formatter: the
// scripts keep their hand layout. Run by `./dev test` (npx eslint --config tools/lint/eslint.config.js).
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["docs/assets/javascripts/**/*.js"],
    // document$: mkdocs-material's page observable (instant navigation), set by the theme's bundle.
    languageOptions: { ecmaVersion: 2024, sourceType: "module", globals: { ...globals.browser, document$: "readonly" } },
  },
  {
    files: ["docs/assets/javascripts/checker-worker.js"],
    languageOptions: { globals: { ...globals.worker } },
  },
  {
    files: ["tools/**/*.mjs", "tools/**/*.js", "tests/node/**/*.mjs"],
    languageOptions: { ecmaVersion: 2024, sourceType: "module", globals: { ...globals.node } },
  },
];
