using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SiteSync.Central.Storage.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class FleetHealthAndUserDisable : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "auth_failure_streak",
                table: "site",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "last_auth_failure_at",
                table: "site",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "last_error_at",
                table: "site",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "last_error_event",
                table: "site",
                type: "character varying(60)",
                maxLength: 60,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "last_error_message",
                table: "site",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "is_disabled",
                table: "app_user",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "IX_site_log_at",
                table: "site_log",
                column: "at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_site_log_at",
                table: "site_log");

            migrationBuilder.DropColumn(
                name: "auth_failure_streak",
                table: "site");

            migrationBuilder.DropColumn(
                name: "last_auth_failure_at",
                table: "site");

            migrationBuilder.DropColumn(
                name: "last_error_at",
                table: "site");

            migrationBuilder.DropColumn(
                name: "last_error_event",
                table: "site");

            migrationBuilder.DropColumn(
                name: "last_error_message",
                table: "site");

            migrationBuilder.DropColumn(
                name: "is_disabled",
                table: "app_user");
        }
    }
}
