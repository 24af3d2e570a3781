import { Global, Module } from '@nestjs/common';
import { KeyRotation } from './key-rotation.service';
import { SecretBox } from './secret-box';

@Global()
@Module({ providers: [SecretBox, KeyRotation], exports: [SecretBox, KeyRotation] })
export class CryptoModule {}
