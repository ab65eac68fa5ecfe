import { View, parse } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * A vega-lite chart as an SVG string, rendered in Node without a browser, a DOM or a native module:
 * vega-lite compiles the spec to vega, vega lays it out headless (`renderer: 'none'`) and writes SVG
 * markup. Deterministic (no clock, no randomness): the same spec gives the same SVG. Text widths
 * are estimated (vega's fallback without the `canvas` package), which is close enough for axis labels.
 * The output is self-contained: no `url(`, no href, no font to load.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
