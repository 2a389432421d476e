// Starts GOV.UK and MOJ Frontend components in the back office. Every page works without it.
import { initAll } from "../govuk/govuk-frontend.min.js";
import { initAll as initMoj } from "../moj/moj-frontend.min.js";

initAll();
initMoj();
