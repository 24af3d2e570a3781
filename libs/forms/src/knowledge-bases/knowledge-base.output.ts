import type { KnowledgeBase } from '@intake/database';

export interface KnowledgeBaseOutput {
  id: string;
  name: string;
  content: string;
  created_at: string;
  updated_at: string;
}

export function toKnowledgeBaseOutput(knowledgeBase: KnowledgeBase): KnowledgeBaseOutput {
  return {
    id: knowledgeBase.id,
    name: knowledgeBase.name,
    content: knowledgeBase.content,
    created_at: knowledgeBase.createdAt.toISOString(),
    updated_at: knowledgeBase.updatedAt.toISOString(),
  };
}
