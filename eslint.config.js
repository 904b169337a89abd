// ESLint flat config. Prettier owns formatting (`npm run lint` runs `prettier --check` first); this file owns
// correctness. Type-checked rules are on where they catch real bugs (promises, unsafe any); a rule is turned off
// only with the reason next to it.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import jsxA11y from "eslint-plugin-jsx-a11y";
import globals from "globals";

// Buttons and cards come from the component set (app/components/ui), so their look changes in one place: a page
// writing the class by hand drifts from it. buttonClass()/cardClass() serve the elements the components cannot be.
const noHandWrittenSurfaces = [
  {
    selector: "JSXAttribute[name.name='className'] > Literal[value=/(^|\\s)(button|card)(\\s|$)/]",
    message: "Use <Button>/<Card> (or buttonClass()/cardClass()) from ~/components/ui, not the class by hand.",
  },
];

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      "build/**",
      "public/**",
      "core/generated/**",
      ".cache/**",
      ".data/**",
      ".ci-results/**",
      "bench/floor/.floor-build/**",
      "test-results/**",
      "playwright-report/**",
      "bench/results/**",
      "tests/fixtures/boundaries/**",
      // Generated from the schema's annotations by npm run datamap (its own check keeps it current).
      "core/privacy/datamap.generated.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node, ...globals.browser },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // Code is wrapped by Prettier; what it cannot wrap is prose. A test's title is one sentence the reporters
      // print, and a sentence of copy, an email's markup or a pattern reads and greps best whole: those are exempt.
      "max-len": [
        "error",
        {
          code: 140,
          ignoreUrls: true,
          ignoreStrings: true,
          ignoreTemplateLiterals: true,
          ignoreRegExpLiterals: true,
          ignorePattern: String.raw`^\s*(it|test|describe)(\.\w+)*\(["'\x60]`,
        },
      ],
      // Remix's control flow throws Responses (redirect, 404) from loaders and actions: those are allowed, any
      // other non-Error value is not.
      "@typescript-eslint/only-throw-error": [
        "error",
        {
          allow: [
            { from: "lib", name: "Response" },
            { from: "package", package: "@remix-run/server-runtime", name: "TypedResponse" },
          ],
        },
      ],
      // Express 4 handlers and timer callbacks here are async and catch their own errors (next(error) or state);
      // express does not look at the promise they return.
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { arguments: false } }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    files: ["**/*.tsx"],
    plugins: { "react-hooks": reactHooks, "jsx-a11y": jsxA11y },
    rules: {
      // The two classic hook rules. The React Compiler rules in react-hooks 7's preset assume the compiler is in
      // the build; Remix's classic compiler does not run it.
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
      ...jsxA11y.flatConfigs.recommended.rules,
    },
  },
  {
    // Links come from ~/components/Link: on the server it writes a plain link's markup without React Router's
    // per-link hooks (a tenth of a millisecond each, measured), in the browser it is Remix's own.
    files: ["app/**/*.tsx", "admin/**/*.tsx"],
    ignores: ["app/components/Link.tsx", "app/components/links.server.tsx"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "@remix-run/react",
              importNames: ["Link", "NavLink"],
              message: "Import Link and NavLink from ~/components/Link (cheaper on the server, same markup).",
            },
          ],
        },
      ],
    },
  },
  {
    // The edges (routes, their helpers, tRPC routers) hand core its deps and never query: the Prisma client is
    // reached only through deps(...).db and only passed on. dependency-cruiser checks the imports (no Prisma, no
    // core/platform/db); these selectors check what an import check cannot see, property access.
    files: ["app/routes/**/*.{ts,tsx}", "app/utils/**/*.{ts,tsx}", "admin/server/routers/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[property.name='prisma']",
          message: "No Prisma at the edges: call a core function and pass it deps(...).db.",
        },
        {
          selector: "MemberExpression[object.property.name='services'][property.name='db']",
          message: "Take the database handle from deps(...) (core/platform/deps.ts), not from services.db.",
        },
        {
          selector: "MemberExpression[object.type='MemberExpression'][object.object.name='db']",
          message: "No queries at the edges (db.<model>.<query>): write a core function and call it.",
        },
        {
          selector: "MemberExpression[object.type='MemberExpression'][object.object.property.name='db']",
          message: "No queries at the edges (deps(...).db.<model>.<query>): write a core function and call it.",
        },
        {
          selector: "MemberExpression[object.name='db'][property.name=/^\\$/]",
          message: "No raw SQL or transactions at the edges: write a core function and call it.",
        },
        ...noHandWrittenSurfaces,
      ],
    },
  },
  {
    files: ["app/components/**/*.tsx"],
    ignores: ["app/components/ui/**"],
    rules: { "no-restricted-syntax": ["error", ...noHandWrittenSurfaces] },
  },
  {
    files: ["**/*.test.ts", "e2e/**/*.ts"],
    rules: {
      // vitest's and Playwright's asymmetric matchers (expect.any, expect.stringMatching) are typed `any`.
      "@typescript-eslint/no-unsafe-assignment": "off",
    },
  },
  {
    files: ["**/*.js", "**/*.cjs", "**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
  },
);
