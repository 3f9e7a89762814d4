// The import page: without scripts the form posts and the results page
// follows; with them the upload shows its progress, then the results
// replace the page's content.
"use strict";
(function () {
  var form = document.getElementById("import-form");
  var bar = document.getElementById("upload-progress");
  if (!form || !bar || !window.XMLHttpRequest || !window.DOMParser) return;
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var xhr = new XMLHttpRequest();
    var label = document.getElementById("upload-status");
    bar.hidden = false;
    label.hidden = false;
    bar.value = 0;
    xhr.upload.addEventListener("progress", function (ev) {
      if (ev.lengthComputable) {
        bar.value = Math.round(100 * ev.loaded / ev.total);
        label.textContent = ev.loaded < ev.total ? "正在上传 " + bar.value + "%" : "上传完成，正在解析和建立索引…";
      }
    });
    xhr.addEventListener("load", function () {
      var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
      var main = doc.querySelector("main");
      if (main) {
        document.querySelector("main").replaceWith(main);
      } else {
        label.textContent = "导入失败（" + xhr.status + "），请重试。";
      }
    });
    xhr.addEventListener("error", function () { label.textContent = "上传中断，请检查网络后重试。"; });
    xhr.open("POST", form.action);
    xhr.send(new FormData(form));
  });
})();
