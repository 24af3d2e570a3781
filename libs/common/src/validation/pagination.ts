import { z } from 'zod';

/** `page` (from 1) and `page_size` (1..max) query parameters, as API.md's listings take them. */
export function paginationQuery(maxPageSize: number, defaultPageSize = 20) {
  return z.object({
    page: z.coerce.number().int().min(1).max(1_000_000).default(1),
    page_size: z.coerce.number().int().min(1).max(maxPageSize).default(defaultPageSize),
  });
}

export interface PageMeta {
  current_page: number;
  total_pages: number;
  total_count: number;
  page_size: number;
}

export function pageMeta(page: number, pageSize: number, totalCount: number): PageMeta {
  return {
    current_page: page,
    total_pages: Math.ceil(totalCount / pageSize),
    total_count: totalCount,
    page_size: pageSize,
  };
}
