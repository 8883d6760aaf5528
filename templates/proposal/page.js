// The public page of a proposal (/p/{token}). Everything here is an
// enhancement: both forms work without it. It updates the totals when the
// buyer ticks optional lines (POST /p/{token}/totals) and lets them draw a
// signature, sent as a PNG data URL in the hidden input "signature".
(function () {
  'use strict';

  var root = document.getElementById('proposal');
  if (!root || root.getAttribute('data-state') !== 'open') {
    return;
  }
  var token = root.getAttribute('data-token') || '';
  var currency = root.getAttribute('data-currency') || '';
  var lang = document.documentElement.getAttribute('lang') || 'en';

  // Numbers are formatted as the server does (package locale): decimal
  // strings regrouped as text, never through a float.
  var separators = {
    en: [',', '.'],
    de: ['.', ','],
    es: ['.', ','],
    it: ['.', ','],
    fr: ['\u00A0', ',']
  };

  function isDigits(s) {
    return /^[0-9]+$/.test(s);
  }

  function decimal(value, minDecimals) {
    var s = String(value == null ? '' : value).trim();
    var sign = '';
    if (s.charAt(0) === '-') {
      sign = '-';
      s = s.slice(1);
    } else if (s.charAt(0) === '+') {
      s = s.slice(1);
    }
    var point = s.indexOf('.');
    var whole = point < 0 ? s : s.slice(0, point);
    var frac = point < 0 ? '' : s.slice(point + 1);
    if (whole === '' || !isDigits(whole) || (point >= 0 && (frac === '' || !isDigits(frac)))) {
      return sign + s;
    }
    whole = whole.replace(/^0+/, '') || '0';
    while (frac.length < minDecimals) {
      frac += '0';
    }
    var sep = separators[lang] || separators.en;
    var out = '';
    for (var i = 0; i < whole.length; i++) {
      if (i > 0 && (whole.length - i) % 3 === 0) {
        out += sep[0];
      }
      out += whole.charAt(i);
    }
    if (frac !== '') {
      out += sep[1] + frac;
    }
    return sign + out;
  }

  function amount(s) {
    if (s == null || String(s).trim() === '') {
      s = '0';
    }
    return decimal(s, 2);
  }

  function money(s) {
    return (amount(s) + '\u00A0' + currency).trim();
  }

  function rate(s) {
    if (s == null || String(s).trim() === '') {
      s = '0';
    }
    return decimal(s, 0) + (lang === 'en' ? '%' : '\u00A0%');
  }

  // Optional lines and live totals.
  var boxes = Array.prototype.slice.call(document.querySelectorAll('input[type="checkbox"][name="included"]'));
  var notice = document.getElementById('totals-notice');
  var breakdown = document.getElementById('breakdown');
  var breakdownRows = document.getElementById('breakdown-rows');
  var categoryLabels = {};
  Array.prototype.forEach.call(document.querySelectorAll('tr[data-category]'), function (row) {
    var code = row.getAttribute('data-category');
    var label = row.getAttribute('data-category-label');
    if (code && label) {
      categoryLabels[code] = label;
    }
  });
  var columnLabels = [];
  if (breakdown) {
    Array.prototype.forEach.call(breakdown.querySelectorAll('thead th'), function (th) {
      columnLabels.push(th.textContent);
    });
  }
  var sequence = 0;

  function setNotice(text) {
    if (notice) {
      notice.textContent = text;
    }
  }

  function markRow(box) {
    var row = box.closest ? box.closest('tr') : null;
    if (row) {
      row.classList.toggle('line-excluded', !box.checked);
    }
  }

  function cell(text, className, label) {
    var td = document.createElement('td');
    if (className) {
      td.className = className;
    }
    if (label) {
      td.setAttribute('data-label', label);
    }
    td.textContent = text;
    return td;
  }

  function showTotals(data) {
    var totals = data.totals || {};
    ['net', 'vat', 'gross'].forEach(function (key) {
      Array.prototype.forEach.call(document.querySelectorAll('[data-total="' + key + '"]'), function (el) {
        el.textContent = money(totals[key]);
      });
    });
    if (!breakdownRows) {
      return;
    }
    var rows = Array.isArray(data.vat_breakdown) ? data.vat_breakdown : [];
    while (breakdownRows.firstChild) {
      breakdownRows.removeChild(breakdownRows.firstChild);
    }
    rows.forEach(function (b) {
      var tr = document.createElement('tr');
      var code = b.category || '';
      var first = cell(categoryLabels[code] || code, '', columnLabels[0]);
      if (b.exemption_reason) {
        var reason = document.createElement('span');
        reason.className = 'exemption';
        reason.textContent = b.exemption_reason;
        first.appendChild(reason);
      }
      tr.appendChild(first);
      tr.appendChild(cell(rate(b.rate), 'num', columnLabels[1]));
      tr.appendChild(cell(amount(b.taxable), 'num', columnLabels[2]));
      tr.appendChild(cell(amount(b.vat), 'num', columnLabels[3]));
      breakdownRows.appendChild(tr);
    });
    if (breakdown) {
      breakdown.hidden = rows.length === 0;
    }
  }

  function updateTotals() {
    var mine = ++sequence;
    var included = boxes.filter(function (b) {
      return b.checked;
    }).map(function (b) {
      return parseInt(b.value, 10);
    });
    if (!window.fetch) {
      return;
    }
    root.setAttribute('aria-busy', 'true');
    window.fetch('/p/' + encodeURIComponent(token) + '/totals', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: JSON.stringify({ included: included }),
      credentials: 'same-origin',
      cache: 'no-store'
    }).then(function (response) {
      if (!response.ok) {
        throw new Error('HTTP ' + response.status);
      }
      return response.json();
    }).then(function (data) {
      if (mine !== sequence) {
        return;
      }
      if (!data || !data.totals) {
        throw new Error('no totals');
      }
      showTotals(data);
      setNotice('');
    }).catch(function () {
      if (mine !== sequence) {
        return;
      }
      setNotice(notice ? notice.getAttribute('data-message') || '' : '');
    }).then(function () {
      if (mine === sequence) {
        root.removeAttribute('aria-busy');
      }
    });
  }

  boxes.forEach(function (box) {
    markRow(box);
    box.addEventListener('change', function () {
      markRow(box);
      updateTotals();
    });
  });

  // The drawn signature.
  var signature = document.getElementById('signature');
  var canvas = document.getElementById('signature-pad');
  var clear = document.getElementById('signature-clear');
  var output = document.getElementById('signature-data');
  var form = document.getElementById('accept-form');
  var context = canvas && canvas.getContext ? canvas.getContext('2d') : null;
  var drawn = false;

  if (signature && canvas && context && output && form && window.PointerEvent) {
    signature.hidden = false;
    var drawing = false;
    var last = null;

    var fit = function () {
      var rect = canvas.getBoundingClientRect();
      var ratio = Math.min(window.devicePixelRatio || 1, 3);
      var width = Math.round(rect.width * ratio);
      var height = Math.round(rect.height * ratio);
      if (width === 0 || height === 0 || (canvas.width === width && canvas.height === height)) {
        return;
      }
      canvas.width = width;
      canvas.height = height;
      drawn = false;
    };

    var style = function () {
      var ratio = canvas.width / (canvas.getBoundingClientRect().width || canvas.width);
      context.lineWidth = 2.2 * ratio;
      context.lineCap = 'round';
      context.lineJoin = 'round';
      context.strokeStyle = '#1d2330';
      context.fillStyle = '#1d2330';
    };

    var point = function (event) {
      var rect = canvas.getBoundingClientRect();
      return {
        x: (event.clientX - rect.left) * (canvas.width / rect.width),
        y: (event.clientY - rect.top) * (canvas.height / rect.height)
      };
    };

    fit();
    window.addEventListener('resize', function () {
      if (!drawn) {
        fit();
      }
    });

    canvas.addEventListener('pointerdown', function (event) {
      if (event.pointerType === 'mouse' && event.button !== 0) {
        return;
      }
      event.preventDefault();
      if (canvas.setPointerCapture) {
        canvas.setPointerCapture(event.pointerId);
      }
      style();
      drawing = true;
      last = point(event);
      context.beginPath();
      context.arc(last.x, last.y, context.lineWidth / 2, 0, Math.PI * 2);
      context.fill();
      drawn = true;
    });

    canvas.addEventListener('pointermove', function (event) {
      if (!drawing) {
        return;
      }
      event.preventDefault();
      var events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
      if (!events.length) {
        events = [event];
      }
      context.beginPath();
      context.moveTo(last.x, last.y);
      events.forEach(function (e) {
        var p = point(e);
        context.lineTo(p.x, p.y);
        last = p;
      });
      context.stroke();
    });

    var stop = function () {
      drawing = false;
      last = null;
    };
    canvas.addEventListener('pointerup', stop);
    canvas.addEventListener('pointercancel', stop);
    canvas.addEventListener('lostpointercapture', stop);

    if (clear) {
      clear.addEventListener('click', function () {
        context.clearRect(0, 0, canvas.width, canvas.height);
        drawn = false;
        output.value = '';
      });
    }
  }

  // The drawing as a PNG data URL, at most 1200 pixels wide.
  function signatureURL() {
    if (!drawn || !canvas) {
      return '';
    }
    var source = canvas;
    if (canvas.width > 1200) {
      var scaled = document.createElement('canvas');
      scaled.width = 1200;
      scaled.height = Math.round(canvas.height * 1200 / canvas.width);
      var c = scaled.getContext('2d');
      if (c) {
        c.drawImage(canvas, 0, 0, scaled.width, scaled.height);
        source = scaled;
      }
    }
    try {
      return source.toDataURL('image/png');
    } catch (e) {
      return '';
    }
  }

  function onceOnly(f) {
    if (!f) {
      return;
    }
    f.addEventListener('submit', function () {
      Array.prototype.forEach.call(f.querySelectorAll('button[type="submit"]'), function (b) {
        window.setTimeout(function () {
          b.disabled = true;
        }, 0);
      });
    });
  }

  if (form && output) {
    form.addEventListener('submit', function () {
      output.value = signatureURL();
    });
  }
  onceOnly(form);
  onceOnly(document.getElementById('decline-form'));
  // Coming back to the page from the history re-enables the buttons.
  window.addEventListener('pageshow', function () {
    Array.prototype.forEach.call(document.querySelectorAll('form button[type="submit"]'), function (b) {
      b.disabled = false;
    });
  });

  var error = document.getElementById('form-error');
  if (error && error.scrollIntoView) {
    error.scrollIntoView({ block: 'center' });
  }
})();
