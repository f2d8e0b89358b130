/// <reference lib="webworker" />
/** The engine worker's entry: the engine runs here, off the page's main thread. */
import { serve } from './ops.ts';

serve(self);
