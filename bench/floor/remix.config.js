/** The bench's Remix floor: the smallest Remix 2.17 app with one page (built by bench/run.ts into .floor-build). */
/** @type {import('@remix-run/dev').AppConfig} */
export default {
  appDirectory: "app",
  assetsBuildDirectory: ".floor-build/public/build",
  publicPath: "/build/",
  serverBuildPath: ".floor-build/server/index.js",
  serverModuleFormat: "esm",
  serverPlatform: "node",
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
  },
};
