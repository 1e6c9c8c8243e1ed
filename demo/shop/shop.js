// The demo shop's own code: plain DOM, fetch and XMLHttpRequest, with no tracing code at all (tracelet's script
// tag traces it). Promise chains rather than async/await: zone.js, which carries the trace context, cannot follow a
// native await (see the tracelet README).
(function () {
  const API = document.currentScript.dataset.api;
  const euros = new Intl.NumberFormat('en-IE', { style: 'currency', currency: 'EUR' });
  const $ = (id) => document.getElementById(id);
  // Line drawings of the products, by SKU prefix (no image files: the demo has no external assets).
  const ICONS = {
    TEA: '<path d="M14 50C14 26 30 12 52 12c0 24-14 38-38 38z"/><path d="M14 50l24-24"/>',
    MUG: '<rect x="14" y="20" width="28" height="30" rx="4"/><path d="M42 26h5a6 6 0 0 1 0 12h-5M22 8q3 4 0 8M32 8q3 4 0 8"/>',
    KET: '<path d="M14 50l5-22h26l5 22zM22 28c0-12 20-12 20 0M47 38l9-12"/>',
    INF: '<circle cx="32" cy="38" r="13"/><path d="M19 38h26M32 25v26M32 25V10h10"/>',
    TIN: '<rect x="18" y="22" width="28" height="30" rx="3"/><rect x="16" y="14" width="32" height="8" rx="2"/><path d="M24 34h16"/>',
    POT: '<path d="M12 30h40c0 14-9 20-20 20s-20-6-20-20zM25 30c0-7 14-7 14 0M52 35l8-7M12 36c-6 0-6 9 0 9"/>',
  };
  let searchSequence = 0;
  let toastTimer;

  function toast(message, tone) {
    const element = $('toast');
    element.textContent = message;
    element.dataset.tone = tone || 'info';
    element.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => (element.hidden = true), 4000);
  }

  /** fetch that resolves to the JSON body and rejects with the server's message on an HTTP error. */
  function api(path, init) {
    return fetch(API + path, init).then((response) =>
      response.json().then((body) => {
        if (!response.ok) throw new Error(body.message || 'HTTP ' + response.status);
        return body;
      }));
  }

  function renderProducts(list, emptyText) {
    $('product-state').textContent = list.length ? '' : emptyText;
    $('products').replaceChildren(...list.map((product) => {
      const item = document.createElement('li');
      item.className = 'product';
      item.innerHTML = `
        <div class="swatch" style="--hue: ${product.hue}">
          <svg viewBox="0 0 64 64" aria-hidden="true">${ICONS[product.sku.slice(0, 3)] ?? ''}</svg>
        </div>
        <h3></h3>
        <p class="muted"></p>
        <div class="buy"><strong></strong><button data-sku="${product.sku}">Add to cart</button></div>`;
      item.querySelector('h3').textContent = product.name;
      item.querySelector('p').textContent = product.detail;
      item.querySelector('strong').textContent = euros.format(product.price);
      return item;
    }));
  }

  function renderCartSummary(cart) {
    $('cart-count').textContent = cart.count;
    $('side-count').textContent = cart.count;
    $('side-total').textContent = euros.format(cart.total);
  }

  function renderCart(cart) {
    renderCartSummary(cart);
    $('cart-state').textContent = cart.count ? '' : 'Your cart is empty. Add something from the shop.';
    $('cart-lines').replaceChildren(...cart.items.map((product) => {
      const line = document.createElement('li');
      line.innerHTML = '<span></span><span class="muted"></span><strong></strong>';
      line.children[0].textContent = product.name;
      line.children[1].textContent = product.sku;
      line.children[2].textContent = euros.format(product.price);
      return line;
    }));
    $('cart-total').textContent = euros.format(cart.total);
  }

  /** "Add to cart" goes through XMLHttpRequest, so the demo shows XHR tracing too. */
  function addToCart(sku, button) {
    button.disabled = true;
    const request = new XMLHttpRequest();
    request.open('POST', API + '/api/cart');
    request.setRequestHeader('content-type', 'application/json');
    request.responseType = 'json';
    request.onloadend = () => {
      button.disabled = false;
      if (request.status !== 200) return toast('Could not add to cart.', 'error');
      renderCartSummary(request.response);
      toast('Added to your cart.', 'ok');
    };
    request.send(JSON.stringify({ sku }));
  }

  function checkout() {
    fetch(API + '/api/checkout', { method: 'POST' })
      .then((response) => response.json().then((body) => ({ ok: response.ok, body })))
      .then(({ ok, body }) => {
        if (!ok) return toast(body.message, 'error');
        toast(`Order ${body.orderId} placed: ${body.count} items, ${euros.format(body.total)}.`, 'ok');
        renderCart({ count: 0, total: 0, items: [] });
      })
      .catch(() => toast('Checkout failed: the shop is unreachable.', 'error'));
  }

  /** One request per keystroke, no debounce: their answers overlap and arrive out of order. */
  function search(query) {
    const sequence = ++searchSequence;
    $('search-state').textContent = 'Searching…';
    api('/api/search?q=' + encodeURIComponent(query)).then((results) => {
      // Only the newest query's answer counts; older ones may arrive after it.
      if (sequence !== searchSequence) return;
      $('search-state').textContent = '';
      renderProducts(results, `Nothing matches “${query}”.`);
    }).catch(() => sequence === searchSequence && ($('search-state').textContent = 'Search failed'));
  }

  function showView() {
    const onCart = location.pathname === '/cart';
    $('view-shop').hidden = onCart;
    $('view-cart').hidden = !onCart;
    document.title = (onCart ? 'Your cart' : 'Leaf & Kettle') + ' · tracelet demo shop';
    if (onCart) api('/api/cart').then(renderCart).catch(() => ($('cart-state').textContent = 'Could not load your cart.'));
  }

  const ACTIONS = {
    checkout,
    fail: () => api('/api/fail').catch((error) => toast(error.message, 'error')),
    slow: (button) => {
      button.disabled = true;
      button.dataset.busy = '';
      api('/api/slow').then((body) => toast(body.message, 'ok'), (error) => toast(error.message, 'error')).finally(() => {
        button.disabled = false;
        delete button.dataset.busy;
      });
    },
    throw: () => {
      throw new Error('An uncaught error thrown by the demo shop, on purpose.');
    },
  };

  document.addEventListener('click', (event) => {
    const route = event.target.closest('a[data-route]');
    if (route) {
      // A client-side route change: the History API, then the new view's data.
      event.preventDefault();
      if (route.pathname !== location.pathname) history.pushState(null, '', route.pathname);
      showView();
      return;
    }
    const button = event.target.closest('button');
    if (!button) return;
    if (button.dataset.sku) addToCart(button.dataset.sku, button);
    else if (ACTIONS[button.dataset.action]) ACTIONS[button.dataset.action](button);
  });
  window.addEventListener('popstate', showView);
  $('search').addEventListener('input', (event) => search(event.target.value));

  api('/api/products')
    .then((list) => renderProducts(list, 'No products.'))
    .catch(() => ($('product-state').textContent = 'The shop’s api is not reachable. Is the demo running?'));
  showView();
  if (location.pathname !== '/cart') api('/api/cart').then(renderCartSummary, () => {});
})();
