import type { User } from '@intake/database';

export interface UserOutput {
  id: string;
  email: string;
  email_verified: boolean;
  created_at: string;
}

export function toUserOutput(user: User): UserOutput {
  return {
    id: user.id,
    email: user.email,
    email_verified: user.emailVerifiedAt !== null,
    created_at: user.createdAt.toISOString(),
  };
}
