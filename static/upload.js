/* Uploads on slow phones, and where the eye lands after an HTMX swap. No framework.
 * - A chosen photo larger than 500 KB is redrawn at most 2000 px on its longest side and
 *   re-encoded as JPEG (quality 0.8) before it is sent; PDFs and small images go as they are.
 * - While a form uploads, its buttons are disabled, it is aria-busy and says
 *   "Đang tải lên… n%" (htmx:xhr:progress).
 * - After a swap of an element marked data-focus-swap: the error summary, or the heading,
 *   gets the focus. Without JavaScript none of this runs and the browser does the work. */
(function () {
  "use strict";
  var MAX_SIDE = 2000, QUALITY = 0.8, SHRINK_FROM = 500 * 1024;

  function status(form) {
    var el = form.querySelector(".upload-status");
    if (!el) {
      el = document.createElement("p");
      el.className = "upload-status";
      el.setAttribute("role", "status");
      var actions = form.querySelector(".form-actions") || form.querySelector("button");
      form.insertBefore(el, actions);
    }
    return el;
  }

  function busy(form, on, text) {
    form.setAttribute("aria-busy", on ? "true" : "false");
    form.querySelectorAll("button").forEach(function (b) { b.disabled = on; });
    status(form).textContent = text || "";
  }

  function shrink(file) {
    if (!/^image\/(jpeg|png|webp)$/.test(file.type) || file.size < SHRINK_FROM ||
        !window.createImageBitmap) {
      return Promise.resolve(file);
    }
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bmp) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bmp.width, bmp.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bmp.width * scale);
      canvas.height = Math.round(bmp.height * scale);
      var ctx = canvas.getContext("2d");
      ctx.fillStyle = "#fff";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(bmp, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob || blob.size >= file.size) { resolve(file); return; }
          var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
          resolve(new File([blob], name, { type: "image/jpeg", lastModified: Date.now() }));
        }, "image/jpeg", QUALITY);
      });
    }).catch(function () { return file; });
  }

  function tooBig(input) {
    var limit = Number(input.dataset.maxBytes || 0);
    var box = input.closest(".field");
    var note = box && box.querySelector(".size-warning");
    var big = limit && Array.prototype.some.call(input.files, function (f) { return f.size > limit; });
    if (big && box && !note) {
      note = document.createElement("p");
      note.className = "error size-warning";
      note.textContent = "Tệp lớn hơn " + Math.round(limit / 1048576) +
        " MB, vui lòng chụp lại hoặc nén nhỏ hơn";
      input.insertAdjacentElement("afterend", note);
    } else if (!big && note) {
      note.remove();
    }
  }

  document.addEventListener("change", function (e) {
    var input = e.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file" || !input.files.length) return;
    var form = input.form;
    var files = Array.prototype.slice.call(input.files);
    if (!files.some(function (f) { return f.size >= SHRINK_FROM && /^image\//.test(f.type); })) {
      tooBig(input);
      return;
    }
    busy(form, true, "Đang thu nhỏ ảnh…");
    Promise.all(files.map(shrink)).then(function (out) {
      var dt = new DataTransfer();
      out.forEach(function (f) { dt.items.add(f); });
      input.files = dt.files;
      busy(form, false, "");
      tooBig(input);
    });
  });

  document.addEventListener("htmx:beforeRequest", function (e) {
    var form = e.detail.elt;
    if (form instanceof HTMLFormElement && form.enctype === "multipart/form-data") {
      busy(form, true, "Đang tải lên… 0%");
    }
  });
  document.addEventListener("htmx:xhr:progress", function (e) {
    var form = e.detail.elt || e.target;
    if (form instanceof HTMLFormElement && e.detail.lengthComputable && e.detail.total) {
      var pct = Math.round((e.detail.loaded / e.detail.total) * 100);
      status(form).textContent = "Đang tải lên… " + pct + "%";
    }
  });
  document.addEventListener("htmx:afterRequest", function (e) {
    var form = e.detail.elt;
    if (form instanceof HTMLFormElement && form.isConnected && form.getAttribute("aria-busy") === "true") {
      busy(form, false, "");
    }
  });

  function land(root) {
    var el = root.querySelector(".error-summary") || root.querySelector("[data-focus]") || root.querySelector(".success") ||
      root.querySelector("h1");
    if (!el) return;
    if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "-1");
    if (el.tagName === "H1") window.scrollTo(0, 0);
    el.focus({ preventScroll: el.tagName === "H1" });
  }
  document.addEventListener("htmx:afterSettle", function (e) {
    var target = e.detail.target;
    if (!target) return;
    var fresh = target.isConnected ? target : document.getElementById(target.id);
    if (fresh && (fresh.hasAttribute("data-focus-swap") || fresh === document.body)) land(fresh);
  });
})();
