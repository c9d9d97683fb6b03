import { describe, expect, it } from 'vitest';
import { breakable, escapeHtml, html, Html, inlineSvg } from '../../src/report/html.js';

describe('escapeHtml and html', () => {
  it('escapes the five markup characters and nothing else', () => {
    expect(escapeHtml(`<a href="x">Tom & 'Jerry'</a> ü`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt; ü');
  });

  it('escapes every interpolation, joins arrays, drops null/false, passes Html through', () => {
    const name = '<script>alert(1)</script>&';
    const out = html`<p title="${name}">${name}${[name, 3]}${null}${false}${html`<b>${name}</b>`}</p>`.text;
    expect(out).not.toContain('<script>');
    expect(out).toBe('<p title="&lt;script&gt;alert(1)&lt;/script&gt;&amp;">' + '&lt;script&gt;alert(1)&lt;/script&gt;&amp;'.repeat(2)
      + '3<b>&lt;script&gt;alert(1)&lt;/script&gt;&amp;</b></p>');
    expect(html`${new Html('<i>kept</i>')}`.text).toBe('<i>kept</i>');
  });
});

describe('inlineSvg', () => {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" class="marks" width="7in" height="2.5in" viewBox="0 0 504 180">'
    + '<defs><clipPath id="clip1"><rect/></clipPath></defs><g clip-path="url(#clip1)"><use href="#clip1"/></g></svg>';

  it('prefixes ids and their references, so two charts on one page keep their own clip paths', () => {
    const out = inlineSvg(svg, 'fig a').text;
    expect(out).toContain('id="fig_a-clip1"');
    expect(out).toContain('url(#fig_a-clip1)');
    expect(out).toContain('href="#fig_a-clip1"');
    expect(out).not.toMatch(/"clip1"|#clip1\b/);
  });

  it('drops the physical size and keeps the viewBox, so the page sizes the chart', () => {
    const out = inlineSvg(svg, 'f').text;
    expect(out).not.toMatch(/width="7in"|height="2.5in"/);
    expect(out).toContain('viewBox="0 0 504 180"');
  });
});

describe('breakable', () => {
  it('escapes, and lets a name wrap after / and + and before a dot', () => {
    expect(breakable('kvm/a1_perf<x>.csv').text).toBe('kvm/<wbr>a1_perf&lt;x&gt;<wbr>.csv');
    expect(breakable('energy-balance+throttle').text).toBe('energy-balance+<wbr>throttle');
  });
});
