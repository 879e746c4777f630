export declare const CHUNK_FOLDER: string;
export declare function buildDashboardWeb(
  outDir: string,
  options?: { minify?: boolean; sourcemap?: boolean },
): Promise<void>;
