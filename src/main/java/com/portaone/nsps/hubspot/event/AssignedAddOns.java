package com.portaone.nsps.hubspot.event;

/**
 * {@code account_info.assigned_addons}: only whether the list is empty is mapped, so only
 * its length is kept.
 *
 * @param count how many add-ons the account has
 */
record AssignedAddOns(int count) {

}
