import { initAll } from "/static/dist/govuk/govuk-frontend.min.js";

initAll();
