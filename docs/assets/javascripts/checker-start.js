// Starts the checker's worker on a call page as soon as the page has first painted, before the
// theme's and the form's scripts have run: Python boots while the reader reads the summary card.
// The form (checker-page.js) then attaches to the same worker: one per visit (checker-client.js).
// Loaded `async` from the page's <head>, where the call's id is given (main.html). Not when the
// reader asked the browser to save data: the form starts it on the first sign of intent instead.
import { getChecker } from "./checker-client.js";

const call = document.querySelector('meta[name="checker-call"]')?.content;
if (call && !navigator.connection?.saveData) {
  requestAnimationFrame(() => setTimeout(() => getChecker(call)));
}
