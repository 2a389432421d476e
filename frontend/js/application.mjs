// Starts GOV.UK Frontend's components. Every page works without it; this only adds enhancements.
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();
