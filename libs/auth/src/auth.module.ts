import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AUTH_CONFIG } from './auth.constants';
import { type AuthConfig, isDevIssuerEnabled, loadAuthConfig } from './auth-config';
import { AuthGuard } from './auth.guard';
import { DevTokenController } from './dev-token.controller';
import { DevTokenIssuer } from './dev-token-issuer';
import { TokenVerifier } from './token-verifier';

/** Options of AuthModule.forRoot. */
export interface AuthModuleOptions {
  /** Mount POST /auth/dev-token, which happens only when the dev issuer is on (gateway only). */
  devTokenRoute?: boolean;
  /** Use this configuration instead of reading the AUTH_* environment variables (tests). */
  config?: AuthConfig;
}

/**
 * Authentication and access control for a service: validates the AUTH_* configuration at
 * start-up and guards every HTTP route globally (see AuthGuard). Import once, in the root module.
 */
@Module({})
export class AuthModule {
  /** The global module; its guard applies to every controller of the application. */
  static forRoot(options: AuthModuleOptions = {}): DynamicModule {
    // The controller list is fixed when the module is declared, so only the flag is read now;
    // the full configuration is validated when the application starts.
    const devIssuer = options.config ? options.config.mode === 'dev' : isDevIssuerEnabled();
    return {
      module: AuthModule,
      global: true,
      controllers: options.devTokenRoute && devIssuer ? [DevTokenController] : [],
      providers: [
        { provide: AUTH_CONFIG, useFactory: (): AuthConfig => options.config ?? loadAuthConfig() },
        TokenVerifier,
        DevTokenIssuer,
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [AUTH_CONFIG, TokenVerifier, DevTokenIssuer],
    };
  }
}
