/** The report's stylesheet: readable on screen and in print, no web fonts. */
export const REPORT_CSS = `
:root { color-scheme: light; --ink: #1d2430; --muted: #5c6675; --line: #d8dde5; --accent: #1f5fa8; --est: #b86e00; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0; background: #f6f7f9; }
header, main { max-width: 1280px; margin: 0 auto; padding: 0 24px; }
@media (max-width: 600px) { header, main { padding: 0 8px; } section { padding: 4px 10px 12px !important; } }
header { padding-top: 20px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 19px; border-bottom: 2px solid var(--line); padding-bottom: 4px; margin-top: 32px; }
h3 { font-size: 15px; margin: 20px 0 8px; word-break: break-all; }
section.machine h3 { word-break: normal; overflow-wrap: anywhere; }
nav a { color: var(--accent); text-decoration: none; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 4px 20px 16px; margin: 16px 0; min-width: 0; overflow-wrap: break-word; }
section.sub { border: none; border-top: 1px solid var(--line); border-radius: 0; padding: 0; margin: 20px 0 0; }
.scroll-x { overflow-x: auto; max-width: 100%; }
table.figures td { font-variant-numeric: tabular-nums; white-space: nowrap; }
table.figures.wrap td { white-space: normal; }
table.figures th[scope="row"] { font-weight: normal; background: #fff; position: sticky; left: 0; min-width: 10em; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 6px; vertical-align: baseline; }
details.columns label { margin-right: 12px; white-space: nowrap; }
table { border-collapse: collapse; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #eef1f5; }
table.results th { cursor: pointer; position: sticky; top: 0; min-width: 4.5em; max-width: 9em; white-space: normal; vertical-align: bottom; z-index: 1; }
table.results th:first-child, table.results td:first-child { position: sticky; left: 0; z-index: 2; background: #fff; box-shadow: 1px 0 0 var(--line); }
table.results th:first-child { background: #eef1f5; z-index: 3; }
table.results td.wrap { white-space: normal; min-width: 10em; max-width: 18em; overflow-wrap: anywhere; }
table.results th[aria-sort="ascending"]::after { content: " \\25B2"; }
table.results th[aria-sort="descending"]::after { content: " \\25BC"; }
table.results td { white-space: nowrap; font-variant-numeric: tabular-nums; }
table.results td[data-v] { text-align: right; }
.scroll { overflow: auto; max-height: 640px; border: 1px solid var(--line); }
.muted { color: var(--muted); }
.small { font-size: 12px; }
.note { background: #fff8e5; border-left: 4px solid #f0b429; padding: 8px 12px; }
.estimate, td.estimate { color: var(--est); font-style: italic; }
.status-failed { color: #b00020; font-weight: 600; }
.status-skipped { color: var(--muted); }
.yes { color: #1b7f3b; font-weight: 600; }
.no { color: var(--muted); }
ul.issues li { margin: 6px 0; }
ul.issues pre { background: #f3f3f3; padding: 6px; white-space: pre-wrap; max-height: 160px; overflow: auto; }
.remedy { color: #1b7f3b; }
ul.pareto { columns: 2; margin-top: 0; }
figure.chart-figure { margin: 12px 0 24px; overflow-x: auto; max-width: 100%; }
figure.chart-figure .chart { width: 100%; }
figure.chart-figure figcaption { text-align: center; margin-bottom: 4px; }
table.compact, table.summary { max-width: 100%; }
.env td, .summary td { overflow-wrap: anywhere; }
@media print { section { break-inside: avoid; } .scroll { max-height: none; } }
`;
