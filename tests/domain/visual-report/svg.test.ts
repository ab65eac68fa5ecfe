import { renderSvg } from '../../../src/domain/visual-report/svg';

describe('renderSvg', () => {
  it('renders a vega-lite spec to a self-contained SVG string without a browser', async () => {
    const svg = await renderSvg({
      width: 200,
      height: 100,
      data: { values: [{ a: 1 }, { a: 5 }] },
      mark: 'bar',
      encoding: {
        x: { field: 'a', type: 'quantitative', bin: true },
        y: { aggregate: 'count', type: 'quantitative' },
      },
    });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('<path');
    expect(svg).not.toMatch(/url\(|href=/);
  });
});
