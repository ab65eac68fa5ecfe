'use strict';

/**
 * esbuild plugins for every bundle that serverless-esbuild builds (`custom.esbuild.plugins` in
 * serverless.yml) and for the CLI bundle (scripts/build-cli.mjs).
 *
 * vega-canvas: vega (the render function's charts) imports `vega-canvas`, whose Node build probes
 * for the native `canvas` package with a top-level `await import('canvas')`, which esbuild cannot
 * emit as CommonJS. Its browser build is the same code without the probe: vega then measures text
 * with its estimate instead of a canvas, which is all a server-side SVG needs (no native module in
 * the zip). The filter matches the bare specifier `vega-canvas` only, so bundles that do not import
 * vega (scan, notify, disable) are not affected at all.
 */

/** @type {import('esbuild').Plugin} */
const vegaCanvasBrowserBuild = {
  name: 'vega-canvas-browser-build',
  setup(build) {
    build.onResolve({ filter: /^vega-canvas$/ }, (args) => {
      const nodeBuild = require.resolve('vega-canvas', { paths: [args.resolveDir] });
      const browserBuild = nodeBuild.replace(/vega-canvas\.node\.js$/, 'vega-canvas.browser.js');
      if (browserBuild === nodeBuild) {
        throw new Error(`vega-canvas resolved to ${nodeBuild}, not its node build: check the plugin`);
      }
      return { path: browserBuild };
    });
  },
};

module.exports = [vegaCanvasBrowserBuild];
