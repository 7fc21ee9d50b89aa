/* Draws the page's timeline from its JSON data block and links marks, rows and chart. */
(function () {
  "use strict";
  var holder = document.getElementById("chart");
  var data = document.getElementById("figure-data");
  if (holder && data && window.Plotly) {
    var fig = JSON.parse(data.textContent);
    var config = {responsive: true, displaylogo: false, scrollZoom: true,
                  modeBarButtonsToRemove: ["select2d", "lasso2d"]};
    window.Plotly.newPlot(holder, fig.data, fig.layout, config).then(function () {
      /* Clicking a mark of the chart brings its row of the events table into view. */
      holder.on("plotly_click", function (ev) {
        var id = ev && ev.points && ev.points[0] && ev.points[0].customdata;
        if (!id) { return; }
        var row = document.getElementById("event-" + String(id).split("/").pop());
        if (row) { flash(row); }
      });
      holder.setAttribute("data-rendered", "1");
    });
  }

  function flash(el) {
    el.scrollIntoView({block: "center", behavior: "smooth"});
    el.classList.add("flash");
    window.setTimeout(function () { el.classList.remove("flash"); }, 1600);
  }

  /* Hovering an event row highlights its time expression in the text. */
  var text = document.getElementById("article-text");
  var table = document.getElementById("events-table");
  if (text && table) {
    var marks = {};
    text.querySelectorAll("mark").forEach(function (m) {
      var start = m.getAttribute("data-char-start");
      if (start) { marks[start] = m; }
    });
    table.addEventListener("mouseover", function (ev) {
      var row = ev.target.closest("tr[data-time-start]");
      text.querySelectorAll("mark.linked").forEach(function (m) { m.classList.remove("linked"); });
      if (row && marks[row.getAttribute("data-time-start")]) {
        marks[row.getAttribute("data-time-start")].classList.add("linked");
      }
    });
  }
})();
