import { instrumentErrors } from './instrumentation/errors';
import { instrumentFetch } from './instrumentation/fetch';
import { instrumentInteractions } from './instrumentation/interactions';
import { instrumentLongTasks } from './instrumentation/long-tasks';
import { instrumentNavigation } from './instrumentation/navigation';
import { instrumentPageLoad } from './instrumentation/page-load';
import { instrumentWebVitals } from './instrumentation/web-vitals';
import { instrumentXhr } from './instrumentation/xhr';

/**
 * Every instrumentation, by the name `init({ instrumentations })` switches it with. Order matters: request
 * patches come first, so that the page-load and interaction instrumentations see traced requests.
 */
export const ALL_INSTRUMENTATIONS = {
  fetch: instrumentFetch,
  xhr: instrumentXhr,
  navigation: instrumentNavigation,
  interactions: instrumentInteractions,
  pageLoad: instrumentPageLoad,
  webVitals: instrumentWebVitals,
  errors: instrumentErrors,
  longTasks: instrumentLongTasks,
};
