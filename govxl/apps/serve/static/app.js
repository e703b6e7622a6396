// govxl serve: the only script. Drag and drop onto the upload form, the print button,
// and the status board reloading itself while nobody is choosing files.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var drop = document.getElementById("drop");
  if (drop) {
    var input = drop.querySelector("input[type=file]");
    ["dragenter", "dragover"].forEach(function (name) {
      drop.addEventListener(name, function (e) { e.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      drop.addEventListener(name, function () { drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (e) {
      e.preventDefault();
      if (!e.dataTransfer || !e.dataTransfer.files.length) { return; }
      input.files = e.dataTransfer.files;
      drop.submit();
    });
  }
  var print = document.getElementById("print");
  if (print) { print.addEventListener("click", function () { window.print(); }); }
  var live = parseInt(document.body.getAttribute("data-live") || "0", 10);
  if (live > 0) {
    setInterval(function () {
      var busy = Array.prototype.some.call(document.querySelectorAll("input[type=file]"), function (i) { return i.files.length > 0; });
      if (!busy && document.visibilityState === "visible") { window.location.reload(); }
    }, live * 1000);
  }
});
