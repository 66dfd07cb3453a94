/** The HTML report's stylesheet, inlined: the page loads nothing from the network. */
export const HTML_STYLE = `
:root { --critical:#b3001b; --high:#e0552b; --medium:#d9a400; --low:#2f7fc1; --none:#9aa0a6; font-family: system-ui, sans-serif; color:#1d1d1f; }
body { max-width: 1100px; margin: 2rem auto; padding: 0 1rem; line-height: 1.4; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
.verdict { padding: .75rem 1rem; border-left: 6px solid var(--lvl); background: #f6f6f8; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; } th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #e3e3e8; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; min-width: 5.5em; text-align: center; color: #fff; border-radius: 3px; padding: 0 .4em; font-size: .8rem; font-weight: 600; text-transform: uppercase; background: var(--lvl); }
.lvl-critical { --lvl: var(--critical); } .lvl-high { --lvl: var(--high); } .lvl-medium { --lvl: var(--medium); } .lvl-low { --lvl: var(--low); } .lvl-none { --lvl: var(--none); }
details.bucket { border: 1px solid #e3e3e8; border-radius: 6px; margin: .75rem 0; padding: .5rem 1rem; }
details.bucket > summary { cursor: pointer; font-weight: 600; }
.factor { display: grid; grid-template-columns: 9rem 14rem 1fr; gap: .75rem; align-items: center; margin: .3rem 0; font-size: .9rem; }
.bar { background: #ececf0; height: .8rem; border-radius: 3px; overflow: hidden; } .bar > span { display: block; height: 100%; background: var(--lvl); }
.chart text { font-size: 12px; fill: #1d1d1f; } .chart rect { fill: #5b6b8c; }
code, .mono { font-family: ui-monospace, monospace; font-size: .85rem; } .muted { color: #6e6e73; }
`;
