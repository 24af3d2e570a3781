import {
  BACKUP_CODE_COUNT,
  findUnusedBackupCode,
  formatBackupCode,
  generateBackupCodes,
} from './backup-codes';

describe('backup codes', () => {
  it('generates ten distinct 10-character codes from the unambiguous alphabet', () => {
    const codes = generateBackupCodes();
    expect(codes).toHaveLength(BACKUP_CODE_COUNT);
    expect(new Set(codes.map((entry) => entry.code)).size).toBe(BACKUP_CODE_COUNT);
    for (const { code, usedAt } of codes) {
      expect(code).toMatch(/^[a-hjkmnp-z2-9]{10}$/);
      expect(usedAt).toBeNull();
    }
  });

  it('accepts a code typed in any case, with or without the dash', () => {
    const codes = generateBackupCodes();
    const code = codes[3]!.code;
    expect(findUnusedBackupCode(codes, formatBackupCode(code).toUpperCase())).toBe(3);
    expect(findUnusedBackupCode(codes, ` ${code} `)).toBe(3);
  });

  it('refuses a used code, a near miss and garbage', () => {
    const codes = generateBackupCodes();
    const code = codes[0]!.code;
    codes[0]!.usedAt = new Date().toISOString();
    expect(findUnusedBackupCode(codes, code)).toBe(-1);
    // The last character changed to another one (a fixed 'x' left it unchanged one time in 31).
    const other = codes[1]!.code;
    const nearMiss = `${other.slice(0, 9)}${other.endsWith('x') ? 'y' : 'x'}`;
    expect(findUnusedBackupCode(codes, nearMiss)).toBe(-1);
    expect(findUnusedBackupCode(codes, '')).toBe(-1);
    expect(findUnusedBackupCode(codes, '<script>'.repeat(1000))).toBe(-1);
  });
});
