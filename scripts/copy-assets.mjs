// Copies the runtime files the portal serves from npm packages into static/dist (not committed).
import { cpSync, mkdirSync } from "node:fs";

const out = "static/dist";
mkdirSync(`${out}/govuk/assets`, { recursive: true });
cpSync("node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js", `${out}/govuk/govuk-frontend.min.js`);
// Only the images the components need; GOV.UK's crest, crown icons and fonts are not ours to use.
mkdirSync(`${out}/govuk/assets/images`, { recursive: true });
cpSync("node_modules/plotly.js-basic-dist-min/plotly-basic.min.js", `${out}/plotly-basic.min.js`);
