import { Injectable } from '@nestjs/common';
import { argon2id, hash, verify } from 'argon2';
import { randomToken } from '@intake/common';

/**
 * argon2id with OWASP's first recommended profile (19 MiB, 2 passes, 1 lane): strong,
 * and cheap enough in memory that a burst of logins cannot exhaust a small server.
 */
const OPTIONS = { type: argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

@Injectable()
export class PasswordHasher {
  /** A real hash of a random password, verified against when an account does not exist. */
  private readonly decoy: Promise<string> = hash(randomToken(), OPTIONS);

  hash(password: string): Promise<string> {
    return hash(password, OPTIONS);
  }

  /**
   * Verifies against the stored hash, or against the decoy when there is none, so that an
   * unknown e-mail and a wrong password cost the same time.
   */
  async verify(storedHash: string | null, password: string): Promise<boolean> {
    const ok = await verify(storedHash ?? (await this.decoy), password);
    return storedHash !== null && ok;
  }
}
