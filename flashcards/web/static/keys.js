// Keys of the review page: every key clicks the button or link that names it in its
// data-key, so a key and a tap do the same thing. Typing in a field is left alone.
"use strict";
(function () {
  const names = {
    " ": ["reveal", "accept"],
    Enter: ["reveal", "accept"],
    u: ["undo"],
    s: ["suspend"],
    q: ["leave"],
  };
  for (let n = 0; n <= 9; n += 1) {
    names[String(n)] = ["grade-" + n, "option-" + n];
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) {
      return;
    }
    const target = event.target;
    if (target instanceof Element && target.closest("input, textarea, select")) {
      return;
    }
    if ((event.key === "Enter" || event.key === " ") && target instanceof Element
        && target.closest("a, button")) {
      return; // the focused control answers for itself
    }
    for (const name of names[event.key] || []) {
      const control = document.querySelector('[data-key~="' + name + '"]');
      if (control) {
        event.preventDefault();
        control.click();
        return;
      }
    }
  });
})();
