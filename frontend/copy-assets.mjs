// Copies what the public pages load from govuk-frontend into static_build/.
// The GDS Transport font files are left out on purpose: they are for GOV.UK services only.
import { cpSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const out = join(root, "static_build", "govuk");

mkdirSync(join(out, "assets"), { recursive: true });
cpSync(join(dist, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
cpSync(join(dist, "assets", "images"), join(out, "assets", "images"), { recursive: true });
// The back office adds MOJ Frontend's components (button menu, sortable table); the module is self-contained.
const moj = join(root, "node_modules", "@ministryofjustice", "frontend", "moj");
mkdirSync(join(root, "static_build", "moj"), { recursive: true });
cpSync(join(moj, "moj-frontend.min.js"), join(root, "static_build", "moj", "moj-frontend.min.js"));
// MOJ's icons (the filter's toggle, alerts) sit beside GOV.UK's: backoffice.scss points both at one
// assets path. Without them the manifest storage of `collectstatic` fails on backoffice.css.
cpSync(join(moj, "assets", "images"), join(out, "assets", "images"), { recursive: true, force: false });
cpSync(join(root, "frontend", "js"), join(root, "static_build", "js"), { recursive: true });
cpSync(join(root, "frontend", "images"), join(root, "static_build", "images"), { recursive: true });
console.log("Copied govuk-frontend and MOJ Frontend JS, images, and our scripts, into static_build/");
