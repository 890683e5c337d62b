/** Exact money: {@link dev.quota.core.money.Money}, a 64-bit count of nano-units. */
package dev.quota.core.money;
