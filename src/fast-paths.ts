/**
 * The one switch for every shortcut that must give the same answer as the plain computation:
 * byte prefilters (trace's id search, errors' level probe and marker test), whole-chunk
 * skipping, worker-thread splits and per-shape caches. `LOGTOOL_NO_FAST_PATHS=1` turns them all
 * off, for debugging a suspect answer and for the differential tests that hold both paths
 * byte-identical. Read on each call (not once at load) so tests and workers see the current value.
 */
export function fastPathsEnabled(): boolean {
  const v = process.env.LOGTOOL_NO_FAST_PATHS;
  return v === undefined || v === '' || v === '0';
}
