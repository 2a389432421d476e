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
cpSync(join(root, "frontend", "js"), join(root, "static_build", "js"), { recursive: true });
cpSync(join(root, "frontend", "images"), join(root, "static_build", "images"), { recursive: true });
console.log("Copied govuk-frontend JS and images, and our scripts, into static_build/");
