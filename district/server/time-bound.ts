// Waiting for work at most a while (a server's close, the database's close): 'late' once `ms` have
// passed, the work then left running on its own.

/** 'done' when `work` settles within `ms` (fulfilled; a rejection is the caller's to catch), else 'late'. */
export async function settledWithin(work: Promise<unknown>, ms: number): Promise<'done' | 'late'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
  });
  try {
    return await Promise.race([work.then(() => 'done' as const), late]);
  } finally {
    clearTimeout(timer);
  }
}
