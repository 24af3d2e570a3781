import { z } from 'zod';

/** 200,000 characters: a generous FAQ, still small enough to send to a model in one prompt. */
export const KNOWLEDGE_BASE_MAX_CONTENT = 200_000;

const fields = {
  name: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
  content: z
    .string()
    .max(KNOWLEDGE_BASE_MAX_CONTENT, `must be at most ${KNOWLEDGE_BASE_MAX_CONTENT} characters`),
};

export const createKnowledgeBaseInput = z.strictObject({
  ...fields,
  content: fields.content.default(''),
});
export type CreateKnowledgeBaseInput = z.output<typeof createKnowledgeBaseInput>;

export const updateKnowledgeBaseInput = z.strictObject(fields).partial();
export type UpdateKnowledgeBaseInput = z.output<typeof updateKnowledgeBaseInput>;
